import fc from 'fast-check';
import {
  CATEGORIES,
  CHANNELS,
  PURPOSES,
  contactRequestSchema,
  decideContact,
  type CentreHours,
  type CountryRule,
} from '../../../domain/policy';
import {
  centreHoursArb,
  contactArb,
  countryRuleArb,
  instantSeedArb,
  pickInstant,
  policyWith,
  zoneArb,
} from './support/arbitraries';
import {
  capArb,
  countAt,
  logAt,
  optOutCovers,
  optOutSeedArb,
  optOutsAt,
  pastTouchArb,
} from './support/contact-history';
import { ensure } from './support/ensure';
import { allowsAt, type RawSchedule } from './support/oracle';

const REQUESTS = 6_000;
const INSTANTS_PER_REQUEST = 5;
const HISTORY_REQUESTS = 3_000;
const INSTANTS_PER_HISTORY = 3;

function customerSchedule(rule: CountryRule): RawSchedule {
  return {
    windows: rule.windows,
    closedDates: rule.closedOnHolidays ? rule.holidays.map((h) => h.date) : [],
  };
}

function centreRawSchedule(centre: CentreHours): RawSchedule {
  return {
    windows: centre.windows,
    closedDates: centre.holidays.map((h) => h.date),
    specialDays: centre.specialDays,
  };
}

describe('decideContact over generated contacts, zones, rules and instants', () => {
  it('never allows a contact outside the window, and "not yet" names the first instant that is inside', () => {
    let decisions = 0;
    fc.assert(
      fc.property(
        countryRuleArb,
        centreHoursArb,
        contactArb,
        fc.constantFrom(...CHANNELS),
        fc.constantFrom(...PURPOSES),
        fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.array(instantSeedArb, { minLength: INSTANTS_PER_REQUEST, maxLength: INSTANTS_PER_REQUEST }),
        (rule, centreHours, contact, channel, purpose, category, needsAgent, seeds) => {
          const policy = policyWith(rule, { centreHours, searchHorizonDays: 8 });
          const zones = contact.timeZone !== undefined ? [contact.timeZone] : contact.candidateTimeZones;
          const needsCentre =
            needsAgent ??
            (centreHours.requiredFor.channels.includes(channel) &&
              centreHours.requiredFor.purposes.includes(purpose));
          const customer = customerSchedule(rule);
          const centre = centreRawSchedule(centreHours);
          const allowedAt = (instant: number): boolean =>
            zones.every((zone) => allowsAt(customer, zone, instant)) &&
            (!needsCentre || allowsAt(centre, centreHours.timeZone, instant));

          for (const seed of seeds) {
            const now = pickInstant(seed, zones[0] ?? centreHours.timeZone, rule.windows);
            const request = contactRequestSchema.parse({
              contact: { ...contact, phone: '+34911234567', email: 'ana@example.com' },
              channel,
              purpose,
              category,
              needsAgent,
              now: new Date(now).toISOString(),
            });
            const decision = decideContact(request, policy);
            decisions += 1;
            const context = () => `${JSON.stringify(decision)} at ${request.now} in ${zones.join(', ')}`;
            if (decision.verdict === 'allowed') {
              ensure(allowedAt(now), () => `allowed outside the window: ${context()}`);
            } else if (decision.verdict === 'not-yet') {
              ensure(decision.untilEpochMs > now, () => `"until" is not after now: ${context()}`);
              ensure(allowedAt(decision.untilEpochMs), () => `"until" is outside the window: ${context()}`);
              // Every instant in [now, until) is refused; the millisecond before `until` is the tightest place to look.
              ensure(
                !allowedAt(decision.untilEpochMs - 1),
                () => `an earlier instant was allowed: ${context()}`,
              );
            } else if (decision.reason === 'no-time-zone') {
              ensure(zones.length === 0, () => `no-time-zone with zones: ${context()}`);
            } else {
              ensure(decision.reason === 'no-allowed-time', () => `unexpected refusal: ${context()}`);
              ensure(!allowedAt(now), () => `refused although allowed now: ${context()}`);
            }
          }
        },
      ),
      { numRuns: REQUESTS },
    );
    expect(decisions).toBeGreaterThanOrEqual(REQUESTS * INSTANTS_PER_REQUEST);
  });

  it('waits out opt-outs and frequency caps as well as the window, and never contacts a permanent opt-out', () => {
    fc.assert(
      fc.property(
        countryRuleArb,
        zoneArb,
        fc.constantFrom(...CHANNELS),
        fc.constantFrom(...PURPOSES),
        fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
        fc.constantFrom(undefined, 'a', 'b'),
        fc.array(capArb, { maxLength: 2 }),
        fc.array(pastTouchArb, { maxLength: 6 }),
        fc.array(optOutSeedArb, { maxLength: 2 }),
        fc.array(instantSeedArb, { minLength: INSTANTS_PER_HISTORY, maxLength: INSTANTS_PER_HISTORY }),
        (rule, zone, channel, purpose, category, outreachId, frequencyCaps, past, optOutSeeds, seeds) => {
          const policy = policyWith(rule, { frequencyCaps, searchHorizonDays: 8 });
          const touch = {
            channel,
            purpose,
            category: category ?? policy.purposeCategories[purpose],
            outreachId,
          };
          const customer = customerSchedule(rule);
          for (const seed of seeds) {
            const now = pickInstant(seed, zone, rule.windows);
            const contactLog = logAt(now, past);
            const optOuts = optOutsAt(now, optOutSeeds).filter((optOut) => optOutCovers(optOut, touch));
            const allowedAt = (instant: number): boolean =>
              allowsAt(customer, zone, instant) &&
              frequencyCaps.every((cap) => countAt(cap, touch, contactLog, instant) < cap.max) &&
              optOuts.every((optOut) => optOut.until !== undefined && Date.parse(optOut.until) <= instant);
            const request = contactRequestSchema.parse({
              contact: { phone: '+34911234567', email: 'ana@example.com', timeZone: zone },
              channel,
              purpose,
              category,
              outreachId,
              contactLog,
              optOuts: optOutsAt(now, optOutSeeds),
              needsAgent: false,
              now: new Date(now).toISOString(),
            });
            const decision = decideContact(request, policy);
            const context = () => `${JSON.stringify(decision)} for ${JSON.stringify(request)}`;
            if (optOuts.some((optOut) => optOut.until === undefined)) {
              ensure(
                decision.reason === 'opted-out',
                () => `contacted despite a permanent opt-out: ${context()}`,
              );
            } else if (decision.verdict === 'allowed') {
              ensure(allowedAt(now), () => `allowed although a rule refuses: ${context()}`);
            } else if (decision.verdict === 'not-yet') {
              ensure(decision.untilEpochMs > now, () => `"until" is not after now: ${context()}`);
              ensure(allowedAt(decision.untilEpochMs), () => `"until" is refused by a rule: ${context()}`);
              ensure(
                !allowedAt(decision.untilEpochMs - 1),
                () => `an earlier instant was allowed: ${context()}`,
              );
            } else {
              ensure(decision.reason === 'no-allowed-time', () => `unexpected refusal: ${context()}`);
              ensure(!allowedAt(now), () => `refused although allowed now: ${context()}`);
            }
          }
        },
      ),
      { numRuns: HISTORY_REQUESTS },
    );
  });
});
