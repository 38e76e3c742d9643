import fc from 'fast-check';
import {
  abandonEventSchema,
  abandonRulesSchema,
  decideAbandon,
  defaultAbandonRules,
  type AbandonEvent,
  type AbandonFacts,
  type AbandonRules,
  type AbandonRulesInput,
} from '../../../domain/callbacks';

const event: AbandonEvent = abandonEventSchema.parse({
  callId: 'CA1',
  from: '+12125550123',
  queue: 'support',
  waitedSeconds: 45,
  abandonedAt: '2025-03-07T22:00:00Z',
});
const open: AbandonFacts = { numberValid: true, optedOut: false, doNotContact: false, centreOpenNow: true };
const closed: AbandonFacts = { ...open, centreOpenNow: false };
const rules = (input: AbandonRulesInput): AbandonRules => abandonRulesSchema.parse(input);

const example = rules({
  queues: {
    sales: { action: 'callback' },
    'billing-overflow': { action: 'sms-only' },
    'Test-Line': { action: 'ignore' },
    vip: { minWaitSeconds: 0 },
    retention: { action: 'recovery' },
  },
  recovery: { enabled: true, minWaitSeconds: 300 },
});

describe('defaultAbandonRules', () => {
  it('is what an empty rules file means', () => {
    expect(abandonRulesSchema.parse({})).toEqual(defaultAbandonRules);
    expect(defaultAbandonRules).toMatchObject({
      minWaitSeconds: 10,
      defaultAction: 'callback',
      queues: {},
      tiers: { platinum: { action: 'callback' } },
      recovery: { enabled: false, minWaitSeconds: 300 },
      afterHours: 'callback-next-opening',
      callbackTtlHours: 72,
      smsTtlHours: 24,
    });
  });

  it.each([
    ['an unknown key', { minWaitSecs: 5 }, 'minWaitSecs'],
    ['a negative minimum wait', { minWaitSeconds: -1 }, 'minWaitSeconds'],
    ['a TTL over 30 days', { callbackTtlHours: 721 }, 'callbackTtlHours'],
    ['a queue rule that says nothing', { queues: { sales: {} } }, 'queues.sales'],
    ['a tier that would be ignored', { tiers: { bronze: { action: 'ignore' } } }, 'tiers.bronze.action'],
    [
      'queues differing only in case',
      { queues: { Sales: { action: 'sms-only' }, sales: { action: 'callback' } } },
      'queues.sales',
    ],
    [
      'recovery sent to while the program is off',
      { queues: { retention: { action: 'recovery' } } },
      'queues.retention.action',
    ],
  ])('refuses %s', (_name, input, path) => {
    const result = abandonRulesSchema.safeParse(input);
    expect(result.success).toBe(false);
    const paths = (result.error?.issues ?? []).flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [...issue.path, key].join('.'))
        : [issue.path.join('.')],
    );
    expect(paths).toContain(path);
  });
});

describe('decideAbandon', () => {
  it.each<[string, Partial<AbandonEvent>, AbandonRules, AbandonFacts, string, string, number]>([
    // refusals come first, whatever the tier or queue
    [
      'a withheld or invalid number',
      { tier: 'platinum' },
      example,
      { ...open, numberValid: false },
      'ignore',
      'invalid-number',
      0,
    ],
    [
      'a do-not-contact customer',
      { tier: 'platinum' },
      example,
      { ...open, doNotContact: true, optedOut: true },
      'ignore',
      'do-not-contact',
      0,
    ],
    [
      'an opted-out customer',
      { queue: 'sales' },
      example,
      { ...open, optedOut: true },
      'ignore',
      'opted-out',
      0,
    ],
    // the queue may silence itself (an internal test line), case-insensitively
    [
      'an ignored queue',
      { queue: 'test-line', tier: 'platinum' },
      example,
      open,
      'ignore',
      'queue-ignored',
      0,
    ],
    // misdials and IVR bounces
    ['a 9.9 s wait', { waitedSeconds: 9.9 }, defaultAbandonRules, open, 'ignore', 'short-abandon', 0],
    [
      'a 3 s platinum wait',
      { waitedSeconds: 3, tier: 'platinum' },
      defaultAbandonRules,
      open,
      'ignore',
      'short-abandon',
      0,
    ],
    [
      'exactly the minimum wait',
      { waitedSeconds: 10 },
      defaultAbandonRules,
      open,
      'callback',
      'default-rule',
      72,
    ],
    [
      'a queue with no minimum wait',
      { queue: 'vip', waitedSeconds: 1 },
      example,
      open,
      'callback',
      'default-rule',
      72,
    ],
    // tier > queue > recovery > default
    [
      'a platinum caller of an sms-only queue',
      { queue: 'billing-overflow', tier: 'Platinum' },
      example,
      open,
      'callback',
      'tier-rule',
      72,
    ],
    [
      'a platinum caller after hours with an sms-only after-hours rule',
      { tier: 'platinum' },
      rules({ afterHours: 'sms-only' }),
      closed,
      'callback',
      'tier-rule',
      72,
    ],
    [
      'a gold caller (no gold rule)',
      { tier: 'gold' },
      defaultAbandonRules,
      open,
      'callback',
      'default-rule',
      72,
    ],
    ['the sales queue', { queue: 'sales', waitedSeconds: 900 }, example, open, 'callback', 'queue-rule', 72],
    [
      'the billing-overflow queue',
      { queue: 'BILLING-OVERFLOW' },
      example,
      open,
      'sms-only',
      'queue-rule',
      24,
    ],
    ['a queue sent to recovery', { queue: 'retention' }, example, open, 'recovery', 'queue-rule', 72],
    [
      'a long wait with recovery on',
      { waitedSeconds: 300 },
      example,
      open,
      'recovery',
      'long-wait-recovery',
      72,
    ],
    [
      'a long wait with recovery off',
      { waitedSeconds: 3_000 },
      defaultAbandonRules,
      open,
      'callback',
      'default-rule',
      72,
    ],
    [
      'an sms-only deployment',
      {},
      rules({ defaultAction: 'sms-only', smsTtlHours: 12 }),
      open,
      'sms-only',
      'default-rule',
      12,
    ],
    // after hours
    [
      'after hours, callback at next opening',
      {},
      defaultAbandonRules,
      closed,
      'callback',
      'default-rule',
      72,
    ],
    [
      'after hours, sms-only rule',
      {},
      rules({ afterHours: 'sms-only' }),
      closed,
      'sms-only',
      'after-hours-sms',
      24,
    ],
    [
      'after hours, recovery with sms-only rule',
      { waitedSeconds: 600 },
      rules({ ...example, afterHours: 'sms-only' }),
      closed,
      'sms-only',
      'after-hours-sms',
      24,
    ],
    [
      'after hours, opening within the TTL',
      {},
      defaultAbandonRules,
      { ...closed, nextOpeningAt: '2025-03-10T13:00:00Z' },
      'callback',
      'default-rule',
      72,
    ],
    [
      'after hours, opening past the TTL',
      {},
      rules({ callbackTtlHours: 24 }),
      { ...closed, nextOpeningAt: '2025-03-10T13:00:00Z' },
      'sms-only',
      'next-opening-beyond-ttl',
      24,
    ],
    [
      'platinum after hours, opening past the TTL',
      { tier: 'platinum' },
      rules({ callbackTtlHours: 24 }),
      { ...closed, nextOpeningAt: '2025-03-10T13:00:00Z' },
      'sms-only',
      'next-opening-beyond-ttl',
      24,
    ],
    [
      'an sms-only queue after hours',
      { queue: 'billing-overflow' },
      example,
      { ...closed, nextOpeningAt: '2025-04-10T13:00:00Z' },
      'sms-only',
      'queue-rule',
      24,
    ],
  ])('%s → %s', (_name, patch, ruleSet, facts, action, reason, ttlHours) => {
    const decision = decideAbandon({ ...event, ...patch }, ruleSet, facts);
    expect(decision).toMatchObject({ action, reason, ttlHours });
    expect(decision.message).toMatch(/^[A-Z0-9a-z].*\.$/);
  });

  it('explains with numbers a supervisor can check, never the phone number', () => {
    const decision = decideAbandon(
      { ...event, waitedSeconds: 4 },
      rules({ queues: { support: { minWaitSeconds: 20 } } }),
      open,
    );
    expect(decision.message).toBe(
      'The caller waited 4 s, under queue support’s 20 s minimum: a misdial or IVR bounce, not an abandon.',
    );
    expect(decideAbandon(event, defaultAbandonRules, closed).message).not.toContain('212');
  });
});

const rulesArb: fc.Arbitrary<AbandonRules> = fc
  .record({
    minWaitSeconds: fc.integer({ min: 0, max: 120 }),
    defaultAction: fc.constantFrom('sms-only' as const, 'callback' as const),
    queues: fc.dictionary(
      fc.constantFrom('sales', 'support', 'billing-overflow'),
      fc.record(
        {
          action: fc.constantFrom(
            'ignore' as const,
            'sms-only' as const,
            'recovery' as const,
            'callback' as const,
          ),
          minWaitSeconds: fc.integer({ min: 0, max: 600 }),
        },
        { requiredKeys: ['action'] },
      ),
    ),
    tiers: fc.dictionary(
      fc.constantFrom('gold', 'platinum'),
      fc.record({ action: fc.constantFrom('sms-only' as const, 'recovery' as const, 'callback' as const) }),
    ),
    recovery: fc.record({ enabled: fc.constant(true), minWaitSeconds: fc.integer({ min: 0, max: 600 }) }),
    afterHours: fc.constantFrom('callback-next-opening' as const, 'sms-only' as const),
    callbackTtlHours: fc.integer({ min: 1, max: 720 }),
    smsTtlHours: fc.integer({ min: 1, max: 168 }),
  })
  .map((input) => abandonRulesSchema.parse(input));

const eventArb: fc.Arbitrary<AbandonEvent> = fc
  .record({
    queue: fc.constantFrom('sales', 'support', 'billing-overflow', 'other'),
    waitedSeconds: fc.double({ min: 0, max: 86_400, noNaN: true }),
    tier: fc.option(fc.constantFrom('standard', 'gold', 'platinum', 'PLATINUM'), { nil: undefined }),
    abandonedAt: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
  })
  .map(({ abandonedAt, tier, ...rest }) => ({
    ...event,
    ...rest,
    ...(tier !== undefined ? { tier } : {}),
    abandonedAt: new Date(abandonedAt).toISOString(),
  }));

const factsArb: fc.Arbitrary<AbandonFacts> = fc.record(
  {
    numberValid: fc.boolean(),
    optedOut: fc.boolean(),
    doNotContact: fc.boolean(),
    centreOpenNow: fc.boolean(),
    nextOpeningAt: fc
      .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2036, 0, 1) })
      .map((ms) => new Date(ms).toISOString()),
  },
  { requiredKeys: ['numberValid', 'optedOut', 'doNotContact', 'centreOpenNow'] },
);

describe('decideAbandon, for any event, rules and facts', () => {
  it('never does anything but ignore an opted-out, do-not-contact or invalid number', () => {
    fc.assert(
      fc.property(eventArb, rulesArb, factsArb, (anEvent, ruleSet, facts) => {
        const decision = decideAbandon(anEvent, ruleSet, facts);
        if (!facts.numberValid || facts.optedOut || facts.doNotContact) {
          return (
            decision.action === 'ignore' &&
            ['invalid-number', 'do-not-contact', 'opted-out'].includes(decision.reason)
          );
        }
        return true;
      }),
      { numRuns: 20_000 },
    );
  });

  it('ignores only for a stated reason, and gives every contact a TTL from the rules', () => {
    fc.assert(
      fc.property(eventArb, rulesArb, factsArb, (anEvent, ruleSet, facts) => {
        const decision = decideAbandon(anEvent, ruleSet, facts);
        const again = decideAbandon(anEvent, ruleSet, facts);
        expect(again).toEqual(decision);
        if (decision.action === 'ignore') return decision.ttlHours === 0;
        if (
          anEvent.waitedSeconds <
          Math.min(
            ruleSet.minWaitSeconds,
            ...Object.values(ruleSet.queues).map((q) => q.minWaitSeconds ?? Infinity),
          )
        ) {
          return false;
        }
        return (
          decision.ttlHours ===
          (decision.action === 'sms-only' ? ruleSet.smsTtlHours : ruleSet.callbackTtlHours)
        );
      }),
      { numRuns: 5_000 },
    );
  });
});
