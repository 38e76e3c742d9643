import { decide, editedPolicy, shippedPolicy } from './support/policies';

const US_ZONES = shippedPolicy.countries.US?.timeZones ?? [];

const losAngeles = { phone: '+13105550123', country: 'US', timeZone: 'America/Los_Angeles' };
const madrid = { phone: '+34911234567', country: 'ES', timeZone: 'Europe/Madrid' };
const spainNoZone = { phone: '+34911234567', country: 'ES' };
const newYork = { phone: '+12125550123', country: 'US', timeZone: 'America/New_York' };
const tollFree = { phone: '+18005550100', country: 'US' };

// Reminders by voice need no agent, so only the called party's window applies.
const reminder = { channel: 'voice', purpose: 'reminder' } as const;
// A courtesy call defaults to marketing: the stricter commercial windows apply.
const courtesy = { channel: 'voice', purpose: 'courtesy', needsAgent: false } as const;

describe('US calling window (47 CFR 64.1200(c)(1)): 08:00–21:00 at the called party’s location', () => {
  it.each([
    ['20:59 PDT in summer', '2025-07-16T03:59:00Z', 'allowed', undefined],
    ['21:00 PDT in summer', '2025-07-16T04:00:00Z', 'not-yet', '2025-07-16T15:00:00.000Z'],
    ['20:59 PST in winter', '2025-01-16T04:59:00Z', 'allowed', undefined],
    ['21:00 PST in winter', '2025-01-16T05:00:00Z', 'not-yet', '2025-01-16T16:00:00.000Z'],
    ['07:59 PDT', '2025-07-16T14:59:00Z', 'not-yet', '2025-07-16T15:00:00.000Z'],
    ['08:00 PDT', '2025-07-16T15:00:00Z', 'allowed', undefined],
  ])('a Los Angeles number at %s', (_label, now, verdict, until) => {
    const decision = decide({ contact: losAngeles, ...reminder, now });
    expect(decision.verdict).toBe(verdict);
    if (until !== undefined) expect(decision).toMatchObject({ reason: 'outside-calling-window', until });
    expect(decision.sources[0]).toContain('47 CFR 64.1200(c)(1)');
  });

  it('explains 21:00 in the called party’s own words of time', () => {
    const decision = decide({ contact: losAngeles, ...reminder, now: '2025-07-16T04:00:00Z' });
    expect(decision.message).toBe(
      'It is Tuesday 2025-07-15 21:00 America/Los_Angeles, outside the US voice service window ' +
        '(every day 08:00–21:00). Next allowed: Wednesday 2025-07-16 08:00 America/Los_Angeles.',
    );
  });
});

describe('Spanish calling window (TRLGDCU art. 96.2): 09:00–21:00 on working days', () => {
  it.each([
    ['Saturday 11 January 2025, 12:00', '2025-01-11T11:00:00Z', 'closed-day', '2025-01-13T08:00:00.000Z'],
    [
      'Monday 6 January 2025 (Epifanía), 12:00',
      '2025-01-06T11:00:00Z',
      'public-holiday',
      '2025-01-07T08:00:00.000Z',
    ],
    [
      'Tuesday 7 January 2025, 08:59',
      '2025-01-07T07:59:00Z',
      'outside-calling-window',
      '2025-01-07T08:00:00.000Z',
    ],
    [
      'Tuesday 7 January 2025, 21:00',
      '2025-01-07T20:00:00Z',
      'outside-calling-window',
      '2025-01-08T08:00:00.000Z',
    ],
    [
      'Friday 10 January 2025, 21:00',
      '2025-01-10T20:00:00Z',
      'outside-calling-window',
      '2025-01-13T08:00:00.000Z',
    ],
  ])('refuses a commercial call on %s', (_label, now, reason, until) => {
    expect(decide({ contact: madrid, ...courtesy, now })).toMatchObject({
      verdict: 'not-yet',
      reason,
      until,
      category: 'marketing',
    });
  });

  it.each([
    ['Tuesday 7 January 2025, 09:00', '2025-01-07T08:00:00Z'],
    ['Tuesday 7 January 2025, 20:59', '2025-01-07T19:59:00Z'],
  ])('allows a commercial call on %s', (_label, now) => {
    expect(decide({ contact: madrid, ...courtesy, now }).verdict).toBe('allowed');
  });

  it('names the holiday when refusing on 6 January', () => {
    const decision = decide({ contact: madrid, ...courtesy, now: '2025-01-06T11:00:00Z' });
    expect(decision.message).toContain('Monday 2025-01-06 12:00 Europe/Madrid, Epifanía del Señor');
    expect(decision.message).toContain('Next allowed: Tuesday 2025-01-07 09:00 Europe/Madrid');
  });

  it('allows a service reminder on a Saturday but not on a Sunday or a public holiday', () => {
    expect(decide({ contact: madrid, ...reminder, now: '2025-01-11T11:00:00Z' }).verdict).toBe('allowed');
    expect(decide({ contact: madrid, ...reminder, now: '2025-01-12T11:00:00Z' })).toMatchObject({
      verdict: 'not-yet',
      reason: 'closed-day',
      until: '2025-01-13T08:00:00.000Z',
    });
    expect(decide({ contact: madrid, ...reminder, now: '2025-01-06T11:00:00Z' })).toMatchObject({
      reason: 'public-holiday',
    });
  });

  it('waits for the Canary Islands when a Spanish number has no known zone', () => {
    // 09:30 in Madrid is 08:30 in Las Palmas: the number may be there.
    expect(decide({ contact: spainNoZone, ...reminder, now: '2025-01-07T08:30:00Z' })).toMatchObject({
      verdict: 'not-yet',
      until: '2025-01-07T09:00:00.000Z',
      timeZones: ['Europe/Madrid', 'Africa/Ceuta', 'Atlantic/Canary'],
    });
  });
});

describe('French calling window (Code de la consommation D.223-9)', () => {
  const paris = { phone: '+33612345678', country: 'FR', timeZone: 'Europe/Paris' };
  it.each([
    ['Tuesday 09:59', '2025-07-01T07:59:00Z', 'not-yet', '2025-07-01T08:00:00.000Z'],
    ['Tuesday 10:00', '2025-07-01T08:00:00Z', 'allowed', undefined],
    ['Tuesday 13:00 (lunch break)', '2025-07-01T11:00:00Z', 'not-yet', '2025-07-01T12:00:00.000Z'],
    ['Tuesday 19:59', '2025-07-01T17:59:00Z', 'allowed', undefined],
    ['Monday 14 July (Fête nationale)', '2025-07-14T09:00:00Z', 'not-yet', '2025-07-15T08:00:00.000Z'],
  ])('commercial call on %s', (_label, now, verdict, until) => {
    const decision = decide({ contact: paris, ...courtesy, now });
    expect(decision.verdict).toBe(verdict);
    if (until !== undefined) expect(decision).toMatchObject({ until });
  });
});

describe('a +1 toll-free number, which may ring in any US zone', () => {
  it.each([
    ['13:00 in New York is 07:00 in Honolulu', '2025-07-15T17:00:00Z', 'not-yet', '2025-07-15T18:00:00.000Z'],
    ['14:00 in New York is 08:00 in Honolulu', '2025-07-15T18:00:00Z', 'allowed', undefined],
    ['20:59 EDT in New York', '2025-07-16T00:59:00Z', 'allowed', undefined],
    ['21:00 EDT in New York', '2025-07-16T01:00:00Z', 'not-yet', '2025-07-16T18:00:00.000Z'],
    ['20:59 EST in New York, in winter', '2025-01-16T01:59:00Z', 'allowed', undefined],
    ['21:00 EST in New York, in winter', '2025-01-16T02:00:00Z', 'not-yet', '2025-01-16T18:00:00.000Z'],
  ])('is allowed only when every zone is inside: %s', (_label, now, verdict, until) => {
    const decision = decide({ contact: tollFree, channel: 'sms', purpose: 'notice', now });
    expect(decision.verdict).toBe(verdict);
    expect(decision.timeZones).toHaveLength(29);
    if (until !== undefined) expect(decision).toMatchObject({ until });
  });

  it('uses candidate zones from the caller over the country’s list', () => {
    const decision = decide({
      contact: { phone: '+18005550100', country: 'US', candidateTimeZones: US_ZONES.slice(0, 3) },
      channel: 'sms',
      purpose: 'notice',
      now: '2025-07-15T17:00:00Z',
    });
    expect(decision).toMatchObject({ verdict: 'allowed', timeZones: US_ZONES.slice(0, 3) });
  });
});

describe('DST nights', () => {
  it('skips the spring-forward gap in New York: 01:59 EST → 08:00 EDT is 12:00Z, not 13:00Z', () => {
    expect(decide({ contact: newYork, ...reminder, now: '2025-03-09T06:59:00Z' })).toMatchObject({
      verdict: 'not-yet',
      until: '2025-03-09T12:00:00.000Z',
    });
  });

  it('counts the repeated hour in New York once: 01:30 EDT → 08:00 EST is 13:00Z', () => {
    expect(decide({ contact: newYork, ...reminder, now: '2025-11-02T05:30:00Z' })).toMatchObject({
      verdict: 'not-yet',
      until: '2025-11-02T13:00:00.000Z',
    });
    expect(decide({ contact: newYork, ...reminder, now: '2025-11-02T06:30:00Z' })).toMatchObject({
      verdict: 'not-yet',
      until: '2025-11-02T13:00:00.000Z',
    });
  });

  it('moves Spain’s next working morning to CEST after spring-forward (Sunday 30 March 2025)', () => {
    expect(decide({ contact: madrid, ...reminder, now: '2025-03-30T00:30:00Z' })).toMatchObject({
      verdict: 'not-yet',
      reason: 'closed-day',
      until: '2025-03-31T07:00:00.000Z',
    });
  });

  it('moves Spain’s next working morning to CET after fall-back (Sunday 26 October 2025)', () => {
    expect(decide({ contact: madrid, ...reminder, now: '2025-10-26T00:30:00Z' })).toMatchObject({
      verdict: 'not-yet',
      until: '2025-10-27T08:00:00.000Z',
    });
  });

  const nightOwls = (start: string, end: string) =>
    editedPolicy((rules) => {
      rules.otherCountries.windows = [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start, end },
      ];
      rules.otherCountries.overrides = [];
    });
  const somewhere = (timeZone: string) => ({ phone: '+4930123456', timeZone });

  it('opens a window that starts inside the skipped hour when the clock jumps (Madrid 02:30 → 03:00 CEST)', () => {
    const policy = nightOwls('02:30', '05:00');
    expect(
      decide({ contact: somewhere('Europe/Madrid'), ...reminder, now: '2025-03-30T00:30:00Z' }, policy),
    ).toMatchObject({
      verdict: 'not-yet',
      until: '2025-03-30T01:00:00.000Z',
    });
    expect(
      decide({ contact: somewhere('Europe/Madrid'), ...reminder, now: '2025-03-30T01:00:00Z' }, policy)
        .verdict,
    ).toBe('allowed');
  });

  it('judges both passes of the repeated hour by the wall clock (New York, window until 01:30)', () => {
    const policy = nightOwls('00:00', '01:30');
    const at = (now: string) => decide({ contact: somewhere('America/New_York'), ...reminder, now }, policy);
    expect(at('2025-11-02T05:15:00Z').verdict).toBe('allowed'); // 01:15 EDT
    expect(at('2025-11-02T05:45:00Z')).toMatchObject({
      verdict: 'not-yet',
      until: '2025-11-02T06:00:00.000Z',
    }); // 01:45 EDT
    expect(at('2025-11-02T06:15:00Z').verdict).toBe('allowed'); // 01:15 EST, second pass
    expect(at('2025-11-02T06:30:00Z')).toMatchObject({
      verdict: 'not-yet',
      until: '2025-11-03T05:00:00.000Z',
    }); // 01:30 EST
  });

  it('never calls in New York’s nonexistent 02:00–03:00 for a window that ends inside it', () => {
    const policy = nightOwls('01:00', '02:30');
    const at = (now: string) => decide({ contact: somewhere('America/New_York'), ...reminder, now }, policy);
    expect(at('2025-03-09T06:59:00Z').verdict).toBe('allowed'); // 01:59 EST
    expect(at('2025-03-09T07:00:00Z')).toMatchObject({
      verdict: 'not-yet',
      until: '2025-03-10T05:00:00.000Z',
    }); // 03:00 EDT
  });
});

describe('centre hours for contacts that need an agent', () => {
  const callback = { channel: 'voice', purpose: 'callback' } as const;

  it('waits for the centre on a Saturday afternoon even though the customer may be called', () => {
    const decision = decide({ contact: madrid, ...callback, now: '2025-01-11T14:30:00Z' });
    expect(decision).toMatchObject({
      verdict: 'not-yet',
      reason: 'centre-closed',
      until: '2025-01-13T08:00:00.000Z',
    });
    expect(decision.message).toContain(
      'The centre is not staffed at Saturday 2025-01-11 15:30 Europe/Madrid',
    );
  });

  it('keeps Christmas Eve short and Christmas Day closed', () => {
    expect(decide({ contact: madrid, ...callback, now: '2025-12-24T12:59:00Z' }).verdict).toBe('allowed');
    expect(decide({ contact: madrid, ...callback, now: '2025-12-24T13:00:00Z' })).toMatchObject({
      reason: 'centre-closed',
      until: '2025-12-26T08:00:00.000Z',
    });
  });

  it('needs both windows to overlap: a Los Angeles callback from a Madrid centre', () => {
    // 10:00 PDT is 19:00 CEST: both open.
    expect(decide({ contact: losAngeles, ...callback, now: '2025-07-15T17:00:00Z' }).verdict).toBe('allowed');
    // 11:00 PDT is 20:00 CEST: the centre has closed; next overlap is 08:00 PDT = 17:00 CEST tomorrow.
    expect(decide({ contact: losAngeles, ...callback, now: '2025-07-15T18:00:00Z' })).toMatchObject({
      reason: 'centre-closed',
      until: '2025-07-16T15:00:00.000Z',
    });
  });

  it('does not ask for agents for an SMS callback', () => {
    expect(
      decide({ contact: madrid, channel: 'sms', purpose: 'callback', now: '2025-01-11T14:30:00Z' }).verdict,
    ).toBe('allowed');
  });
});

describe('refusals', () => {
  const now = '2025-01-07T10:00:00Z';

  it('never contacts a do-not-contact customer', () => {
    expect(decide({ contact: madrid, ...reminder, now, doNotContact: true })).toMatchObject({
      verdict: 'never',
      reason: 'do-not-contact',
    });
  });

  it('honours an SMS STOP on SMS only', () => {
    const optOuts = [{ channel: 'sms', source: 'sms-stop', at: '2024-12-01T10:00:00Z' }];
    expect(decide({ contact: madrid, channel: 'sms', purpose: 'reminder', now, optOuts })).toMatchObject({
      verdict: 'never',
      reason: 'opted-out',
      message: 'The customer opted out (sms-stop) of sms contact.',
    });
    expect(decide({ contact: madrid, ...reminder, now, optOuts }).verdict).toBe('allowed');
  });

  it('keeps service contact after a marketing unsubscribe', () => {
    const optOuts = [{ category: 'marketing', source: 'unsubscribe-link' }];
    expect(decide({ contact: madrid, ...courtesy, now, optOuts }).reason).toBe('opted-out');
    expect(decide({ contact: madrid, ...reminder, now, optOuts }).verdict).toBe('allowed');
  });

  it('waits out a temporary refusal, then the calling window (France: 60 days after a refusal)', () => {
    const paris = { phone: '+33612345678', country: 'FR', timeZone: 'Europe/Paris' };
    const optOuts = [{ category: 'marketing', source: 'refused-on-call', until: '2025-03-08T22:00:00Z' }];
    // Until 23:00 on Saturday 8 March: next commercial slot is Monday 10 March 10:00 CET.
    expect(decide({ contact: paris, ...courtesy, now, optOuts })).toMatchObject({
      verdict: 'not-yet',
      reason: 'opted-out-until',
      until: '2025-03-10T09:00:00.000Z',
    });
  });

  it('needs an address for the channel', () => {
    expect(
      decide({ contact: { phone: '+34911234567' }, channel: 'email', purpose: 'notice', now }),
    ).toMatchObject({
      verdict: 'never',
      reason: 'no-address',
    });
  });

  it('refuses rather than guessing UTC when no zone is known at all', () => {
    const decision = decide({ contact: { phone: '+4930123456' }, ...reminder, now });
    expect(decision).toMatchObject({ verdict: 'never', reason: 'no-time-zone', timeZones: [] });
    expect(decision.message).toContain('refusing rather than assuming UTC');
  });

  it('sends e-mail without a zone, since the shipped e-mail window is always open', () => {
    expect(
      decide({ contact: { email: 'ana@example.com' }, channel: 'email', purpose: 'notice', now }).verdict,
    ).toBe('allowed');
  });

  it('refuses a channel the rules close altogether', () => {
    const policy = editedPolicy((rules) => {
      rules.countries.ES.overrides.unshift({
        channels: ['sms'],
        categories: ['marketing'],
        windows: [],
      } as never);
    });
    expect(decide({ contact: madrid, channel: 'sms', purpose: 'courtesy', now }, policy)).toMatchObject({
      verdict: 'never',
      reason: 'channel-not-permitted',
    });
  });
});

describe('frequency caps from the contact log', () => {
  const paris = { phone: '+33612345678', country: 'FR', timeZone: 'Europe/Paris' };
  const touch = (at: string, extra: object = {}) => ({
    at,
    channel: 'voice',
    purpose: 'courtesy',
    category: 'marketing',
    ...extra,
  });

  it('allows at most 3 marketing touches in 7 days, then waits until the oldest ages out', () => {
    const contactLog = [
      touch('2025-01-02T10:00:00Z'),
      touch('2025-01-03T10:00:00Z'),
      touch('2025-01-06T10:00:00Z'),
    ].map((entry) => ({ ...entry, channel: 'email' }));
    expect(
      decide({
        contact: { ...madrid, email: 'ana@example.com' },
        channel: 'email',
        purpose: 'courtesy',
        now: '2025-01-07T10:00:00Z',
        contactLog,
      }),
    ).toMatchObject({ verdict: 'not-yet', reason: 'frequency-cap', until: '2025-01-09T10:00:00.000Z' });
  });

  it('allows one courtesy call per 30 days, but leaves the same outreach’s retries to the retry ladder', () => {
    const contactLog = [touch('2025-01-06T10:00:00Z', { outreachId: 'courtesy-1' })];
    const ask = { contact: madrid, ...courtesy, now: '2025-01-07T10:00:00Z', contactLog };
    expect(decide(ask)).toMatchObject({
      verdict: 'not-yet',
      reason: 'frequency-cap',
      until: '2025-02-05T10:00:00.000Z',
    });
    expect(decide({ ...ask, outreachId: 'courtesy-1' }).verdict).toBe('allowed');
  });

  it('counts every attempt of the same outreach for France’s 4 calls per 30 days', () => {
    const contactLog = ['2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07'].map((day) =>
      touch(`${day}T09:00:00Z`, { outreachId: 'fr-1', purpose: 'rescue' }),
    );
    expect(
      decide({
        contact: paris,
        channel: 'voice',
        purpose: 'rescue',
        category: 'marketing',
        needsAgent: false,
        now: '2025-01-08T10:00:00Z',
        contactLog,
        outreachId: 'fr-1',
      }),
    ).toMatchObject({ verdict: 'not-yet', reason: 'frequency-cap', until: '2025-02-03T09:00:00.000Z' });
  });
});

describe('explanations', () => {
  it('names the extremes when a toll-free number may be in many zones', () => {
    const decision = decide({
      contact: tollFree,
      channel: 'sms',
      purpose: 'notice',
      now: '2025-07-15T18:00:00Z',
    });
    expect(decision.message).toBe(
      'Allowed: Tuesday 2025-07-15 14:00 America/New_York … Tuesday 2025-07-15 08:00 Pacific/Honolulu ' +
        '(all 29 zones the number may be in) is inside the US sms service window (every day 08:00–21:00).',
    );
  });
});
