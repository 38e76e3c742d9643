import fc from 'fast-check';
import {
  contactRequestSchema,
  decideContact,
  type ContactDecision,
  type WeeklyWindow,
} from '../../../domain/policy';
import {
  centreHoursArb,
  countryRuleArb,
  instantSeedArb,
  pickInstant,
  policyWith,
  windowArb,
  zoneArb,
} from './support/arbitraries';
import { allowsAt, type RawSchedule } from './support/oracle';

const SAMPLES = 250;
const HORIZON_DAYS = 3;
const MINUTE = 60_000;

describe('next allowed instant', () => {
  it('equals the earliest allowed minute found by scanning every minute, across DST changes; an open window is open until its openUntil', () => {
    fc.assert(
      fc.property(
        countryRuleArb,
        fc.uniqueArray(zoneArb, { minLength: 1, maxLength: 2 }),
        fc.option(centreHoursArb, { nil: undefined, freq: 3 }),
        instantSeedArb,
        (rule, zones, centreHours, seed) => {
          const policy = policyWith(rule, {
            searchHorizonDays: HORIZON_DAYS,
            ...(centreHours === undefined ? {} : { centreHours }),
          });
          const customer: RawSchedule = {
            windows: rule.windows,
            closedDates: rule.closedOnHolidays ? rule.holidays.map((h) => h.date) : [],
          };
          const centre: RawSchedule | undefined = centreHours && {
            windows: centreHours.windows,
            closedDates: centreHours.holidays.map((h) => h.date),
            specialDays: centreHours.specialDays,
          };
          const allowedAt = (instant: number): boolean =>
            zones.every((zone) => allowsAt(customer, zone, instant)) &&
            (centre === undefined || allowsAt(centre, centreHours?.timeZone as string, instant));

          const picked = pickInstant(seed, zones[0] as string, rule.windows);
          const now = picked - (((picked % MINUTE) + MINUTE) % MINUTE);
          const decision = decideContact(
            contactRequestSchema.parse({
              contact: { phone: '+15005550006', candidateTimeZones: zones },
              channel: 'voice',
              purpose: 'callback',
              needsAgent: centreHours !== undefined,
              now: new Date(now).toISOString(),
            }),
            policy,
          );

          expectMatchesScan(decision, now, allowedAt);
        },
      ),
      { numRuns: SAMPLES },
    );
  });

  // The oracle's own reading of where a number is: written out here, not taken from domain/policy.
  const NUMBERS: readonly { phone: string; states: readonly string[] }[] = [
    { phone: '+13055550100', states: ['FL'] },
    { phone: '+19185550100', states: ['OK'] },
    { phone: '+12145550100', states: ['TX'] },
    { phone: '+12065550100', states: ['WA'] },
    { phone: '+12125550100', states: [] },
    { phone: '+18885550100', states: ['FL', 'OK', 'TX', 'WA'] },
  ];
  const stateRuleArb = fc.record({
    windows: fc.array(windowArb, { minLength: 1, maxLength: 2 }),
    // A rule scoped to marketing never applies to the service SMS below.
    marketingOnly: fc.boolean(),
  });

  it('with US state rules and replies to the customer’s contact, equals the earliest minute every applicable rule allows', () => {
    fc.assert(
      fc.property(
        countryRuleArb,
        fc.dictionary(fc.constantFrom('FL', 'OK', 'TX', 'WA'), stateRuleArb, { maxKeys: 4 }),
        fc.constantFrom(...NUMBERS),
        fc.uniqueArray(zoneArb, { minLength: 1, maxLength: 2 }),
        fc.option(
          fc.record({ minutesAgo: fc.integer({ min: 0, max: 90 }), within: fc.integer({ min: 0, max: 60 }) }),
          {
            nil: undefined,
          },
        ),
        instantSeedArb,
        (rule, states, number, zones, reply, seed) => {
          const subdivisions = Object.fromEntries(
            Object.entries(states).map(([state, generated]) => [
              state,
              {
                name: `State ${state}`,
                overrides: [
                  {
                    ...(generated.marketingOnly ? { categories: ['marketing' as const] } : {}),
                    windows: generated.windows,
                  },
                ],
              },
            ]),
          );
          const policy = policyWith(rule, {
            searchHorizonDays: HORIZON_DAYS,
            countries: { US: { ...rule, subdivisions } },
            ...(reply === undefined
              ? {}
              : {
                  replyToCustomerContact: {
                    withinMinutes: reply.within,
                    channels: ['sms' as const],
                    purposes: ['callback' as const],
                  },
                }),
          });
          const toRaw = (windows: readonly WeeklyWindow[]): RawSchedule => ({
            windows,
            closedDates: rule.closedOnHolidays ? rule.holidays.map((h) => h.date) : [],
          });
          const applicable = [
            toRaw(rule.windows),
            ...Object.entries(states)
              .filter(([state, generated]) => number.states.includes(state) && !generated.marketingOnly)
              .map(([, generated]) => toRaw(generated.windows)),
          ];

          const picked = pickInstant(seed, zones[0] as string, rule.windows);
          const now = picked - (((picked % MINUTE) + MINUTE) % MINUTE);
          const contactAt = reply === undefined ? undefined : now - reply.minutesAgo * MINUTE;
          const replyUntil =
            reply === undefined || contactAt === undefined ? -Infinity : contactAt + reply.within * MINUTE;
          const allowedAt = (instant: number): boolean =>
            instant < replyUntil ||
            zones.every((zone) => applicable.every((schedule) => allowsAt(schedule, zone, instant)));

          const decision = decideContact(
            contactRequestSchema.parse({
              contact: { phone: number.phone, country: 'US', candidateTimeZones: zones },
              channel: 'sms',
              purpose: 'callback',
              now: new Date(now).toISOString(),
              ...(contactAt === undefined ? {} : { customerContactAt: new Date(contactAt).toISOString() }),
            }),
            policy,
          );

          expectMatchesScan(decision, now, allowedAt);
        },
      ),
      { numRuns: SAMPLES },
    );
  });
});

/**
 * The decision against a minute-by-minute scan of the oracle from `now`: `openUntil` never past the
 * first closed minute (a sleeping run must not be caught outside the window), and "next allowed"
 * exactly the first open minute.
 */
function expectMatchesScan(
  decision: ContactDecision,
  now: number,
  allowedAt: (epochMs: number) => boolean,
): void {
  const horizonEnd = now + HORIZON_DAYS * 86_400_000;
  if (decision.verdict === 'allowed') {
    const until = decision.openUntilEpochMs ?? horizonEnd;
    expect(until).toBeGreaterThan(now);
    for (let minute = now; minute < until && minute <= horizonEnd; minute += MINUTE) {
      if (!allowedAt(minute))
        throw new Error(`closed at ${new Date(minute).toISOString()} before openUntil ${decision.openUntil}`);
    }
  }
  let earliest: number | undefined;
  for (let minute = now; minute <= horizonEnd; minute += MINUTE) {
    if (allowedAt(minute)) {
      earliest = minute;
      break;
    }
  }
  if (earliest === undefined) {
    expect(decision).toMatchObject({ verdict: 'never', reason: 'no-allowed-time' });
  } else if (earliest === now) {
    expect(decision.verdict).toBe('allowed');
  } else {
    expect(decision).toMatchObject({ verdict: 'not-yet', untilEpochMs: earliest });
  }
}
