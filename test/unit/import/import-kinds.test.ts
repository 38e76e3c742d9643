import { parseRow } from '../../../cli/import/import-kinds';

const secret = 'unit-secret-0123456789';

describe('import rows', () => {
  it('reads a flat CSV yearly-occasion row into the courtesy request, numbers and contact included', () => {
    const parsed = parseRow(
      'courtesy',
      {
        type: 'yearly',
        courtesyId: 'order-7-birthday',
        channel: 'sms',
        occasion: 'your birthday',
        month: '6',
        day: '20',
        daysBefore: '',
        phone: '+14155550100',
        email: '',
        timeZone: 'America/New_York',
        country: 'US',
      },
      secret,
    );
    expect(parsed).toMatchObject({
      ok: true,
      row: {
        kind: 'courtesy',
        request: {
          type: 'yearly',
          month: 6,
          day: 20,
          daysBefore: 14,
          contact: { phone: '+14155550100', timeZone: 'America/New_York', country: 'US' },
        },
      },
    });
  });

  it('names a bad contact column by its own name', () => {
    const parsed = parseRow(
      'reminder',
      { appointmentId: 'a-1', at: '2027-03-15T14:00:00Z', phone: '555-0100', timeZone: 'America/New_York' },
      secret,
    );
    expect(parsed).toEqual({
      ok: false,
      problems: [{ field: 'phone', message: expect.stringContaining('E.164') }],
    });
  });

  it('gives each notice recipient an id from the notice and the keyed customer, never the number', () => {
    const parsed = parseRow(
      'notice',
      { noticeId: 'outage-9', channel: 'sms', message: 'Lines closed Sunday.', phone: '+14155550100' },
      secret,
    );
    expect(parsed.ok).toBe(true);
    const id = parsed.ok && parsed.row.kind === 'notice' ? parsed.row.request.courtesyId : '';
    expect(id).toMatch(/^outage-9\.c_[A-Za-z0-9_-]{24}$/);
    expect(id).not.toContain('4155550100');
    expect(parseRow('notice', { channel: 'sms', message: 'x', phone: '+14155550100' }, secret)).toEqual({
      ok: false,
      problems: [{ field: 'noticeId', message: 'required' }],
    });
  });

  it('refuses a notice row under --kind courtesy', () => {
    const parsed = parseRow(
      'courtesy',
      {
        type: 'notice',
        courtesyId: 'n-1',
        channel: 'sms',
        message: 'x',
        recipients: [{ phone: '+14155550100' }],
      },
      secret,
    );
    expect(parsed).toEqual({
      ok: false,
      problems: [{ field: 'type', message: 'use --kind notice for notices' }],
    });
  });
});
