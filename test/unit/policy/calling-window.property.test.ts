import fc from 'fast-check';
import { compileSchedule, isInsideWindow } from '../../../domain/policy';
import { countryRuleArb, instantSeedArb, pickInstant, zoneArb } from './support/arbitraries';
import { allowsAt } from './support/oracle';

// The cheap, wide net: most of the ≥ 1,000,000 generated decisions per run are checked here.
const RULE_SETS = 50_000;
const INSTANTS_PER_RULE_SET = 20;

describe('calling window in the called party’s zone', () => {
  it('holds exactly when the local wall clock (read independently) is inside a window, in every IANA zone', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        countryRuleArb,
        zoneArb,
        fc.array(instantSeedArb, { minLength: INSTANTS_PER_RULE_SET, maxLength: INSTANTS_PER_RULE_SET }),
        (rule, zone, seeds) => {
          const closedOn = rule.closedOnHolidays ? rule.holidays : [];
          const schedule = compileSchedule({ windows: rule.windows, closedOn });
          const raw = { windows: rule.windows, closedDates: closedOn.map((holiday) => holiday.date) };
          for (const seed of seeds) {
            const instant = pickInstant(seed, zone, rule.windows);
            checked += 1;
            if (isInsideWindow(schedule, zone, instant) !== allowsAt(raw, zone, instant)) return false;
          }
          return true;
        },
      ),
      { numRuns: RULE_SETS },
    );
    expect(checked).toBeGreaterThanOrEqual(RULE_SETS * INSTANTS_PER_RULE_SET);
  });
});
