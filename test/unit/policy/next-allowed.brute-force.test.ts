import fc from 'fast-check';
import { contactRequestSchema, decideContact } from '../../../domain/policy';
import {
  centreHoursArb,
  countryRuleArb,
  instantSeedArb,
  pickInstant,
  policyWith,
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

          const horizonEnd = now + HORIZON_DAYS * 86_400_000;
          if (decision.verdict === 'allowed') {
            // When the run must ask again: after now, and never after the first minute the scan
            // finds closed (a sleeping run must not be caught outside the window).
            const until = decision.openUntilEpochMs ?? horizonEnd;
            expect(until).toBeGreaterThan(now);
            for (let minute = now; minute < until && minute <= horizonEnd; minute += MINUTE) {
              if (!allowedAt(minute))
                throw new Error(
                  `closed at ${new Date(minute).toISOString()} before openUntil ${decision.openUntil}`,
                );
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
        },
      ),
      { numRuns: SAMPLES },
    );
  });
});
