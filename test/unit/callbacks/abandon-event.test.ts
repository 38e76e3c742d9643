import { abandonEventSchema, callerNumber } from '../../../domain/callbacks';

const valid = {
  callId: 'CA1234',
  from: '+12125550123',
  queue: 'sales',
  waitedSeconds: 95,
  abandonedAt: '2025-03-10T14:02:11Z',
};

describe('abandon event from the ACD', () => {
  it('accepts the documented body with every optional field', () => {
    const event = abandonEventSchema.parse({
      ...valid,
      defaultCountry: 'US',
      ivrInput: '2',
      language: 'es-MX',
      tier: 'platinum',
      customerId: 'C-77',
      tenant: 'acme',
    });
    expect(event).toMatchObject({ tier: 'platinum', language: 'es-MX', tenant: 'acme' });
  });

  it('drops keys it does not know instead of losing the abandon', () => {
    expect(abandonEventSchema.parse({ ...valid, agentGroup: 'x' })).toEqual(valid);
  });

  it('accepts a withheld number, to be decided as invalid-number', () => {
    expect(abandonEventSchema.safeParse({ ...valid, from: 'anonymous' }).success).toBe(true);
  });

  it.each([
    ['callId', { callId: ' ' }],
    ['from', { from: '' }],
    ['queue', { queue: '' }],
    ['waitedSeconds', { waitedSeconds: -1 }],
    ['waitedSeconds', { waitedSeconds: 90_000 }],
    ['waitedSeconds', { waitedSeconds: '30' }],
    ['abandonedAt', { abandonedAt: '2025-03-10 14:02' }],
    ['abandonedAt', { abandonedAt: '2025-03-10T14:02:11' }],
    ['defaultCountry', { defaultCountry: 'es' }],
    ['language', { language: 'spanish!' }],
    ['tier', { tier: '' }],
  ])('refuses a bad %s', (field, patch) => {
    const result = abandonEventSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });

  it.each([
    ['+12125550123', undefined, '+12125550123'],
    ['(212) 555-0123', 'US', '+12125550123'],
    ['911 23 45 67', 'ES', '+34911234567'],
    ['911 23 45 67', undefined, undefined],
    ['anonymous', undefined, undefined],
  ])('reads the caller number %s (default country %s) as %s', (from, defaultCountry, e164) => {
    expect(callerNumber({ from, defaultCountry })?.e164).toBe(e164);
  });
});
