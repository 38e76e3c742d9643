import { courtesyRequestSchema } from '../../../domain/courtesy';
import { nextYearlyOutreach } from '../../../domain/courtesy/yearly-occasion';

const birthday = { month: 6, day: 20, daysBefore: 14, localTime: '10:00', timeZones: ['America/New_York'] };

describe('nextYearlyOutreach', () => {
  it('is two weeks before the date at 10:00 on the customer clock', () => {
    const next = nextYearlyOutreach(birthday, Date.parse('2026-11-23T00:00:00Z'));
    expect(next).toEqual({
      outreachMs: Date.parse('2027-06-06T14:00:00Z'),
      occasionDate: '2027-06-20',
      year: 2027,
    });
  });

  it('moves to next year once this year’s outreach has passed, even before the date itself', () => {
    const next = nextYearlyOutreach(birthday, Date.parse('2027-06-06T14:00:00Z'));
    expect(next.occasionDate).toBe('2028-06-20');
  });

  it('reads a winter date in standard time (EST)', () => {
    const next = nextYearlyOutreach({ ...birthday, month: 1, day: 20 }, Date.parse('2026-11-23T00:00:00Z'));
    expect(new Date(next.outreachMs).toISOString()).toBe('2027-01-06T15:00:00.000Z');
  });

  it('keeps 29 February on 28 February in common years', () => {
    const next = nextYearlyOutreach(
      { ...birthday, month: 2, day: 29, daysBefore: 0 },
      Date.parse('2026-11-23T00:00:00Z'),
    );
    expect(next.occasionDate).toBe('2027-02-28');
    const leap = nextYearlyOutreach(
      { ...birthday, month: 2, day: 29, daysBefore: 0 },
      Date.parse('2027-03-01T00:00:00Z'),
    );
    expect(leap.occasionDate).toBe('2028-02-29');
  });
});

describe('courtesy requests', () => {
  it('refuses a day the month does not have, naming the field', () => {
    const result = courtesyRequestSchema.safeParse({
      type: 'yearly',
      courtesyId: 'o-1',
      contact: { phone: '+14155550100' },
      channel: 'sms',
      occasion: 'birthday',
      month: 4,
      day: 31,
    });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['day', 'no such day in that month'],
    ]);
  });
});

describe('nextYearlyOutreach in several candidate zones', () => {
  it('is at the local time on every clock: the last zone to reach it decides', () => {
    const next = nextYearlyOutreach(
      { ...birthday, localTime: '08:30', timeZones: ['America/New_York', 'America/Los_Angeles'] },
      Date.parse('2026-11-23T00:00:00Z'),
    );
    // 6 June 2027, 08:30 PDT (11:30 in New York), not 08:30 EDT (05:30 in Los Angeles).
    expect(new Date(next.outreachMs).toISOString()).toBe('2027-06-06T15:30:00.000Z');
  });
});
