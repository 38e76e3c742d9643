import { inScope } from './frequency-cap';
import type { ContactPolicy, CountryRule, WeeklyWindow } from './rules-schema';
import type { Category, Channel, Purpose } from './vocabulary';
import { compileSchedule, type WeeklySchedule } from './weekly-schedule';

/** The calling window that applies to one kind of touch in one country, ready to evaluate. */
export interface ApplicableWindow {
  /** ISO country code, or `otherCountries` when the country is unknown or not listed. */
  readonly country: string;
  readonly rule: CountryRule;
  readonly windows: readonly WeeklyWindow[];
  readonly closedOnHolidays: boolean;
  readonly source: string | undefined;
  readonly schedule: WeeklySchedule;
}

// Rules objects are immutable once loaded; compiling once per object keeps decisions cheap.
const compiled = new WeakMap<object, WeeklySchedule>();

function scheduleFor(key: object, rule: CountryRule, windows: readonly WeeklyWindow[], closed: boolean) {
  let schedule = compiled.get(key);
  if (schedule === undefined) {
    schedule = compileSchedule({ windows, closedOn: closed ? rule.holidays : [] });
    compiled.set(key, schedule);
  }
  return schedule;
}

export function countryRuleFor(
  policy: ContactPolicy,
  country: string | undefined,
): { country: string; rule: CountryRule } {
  const rule = country === undefined ? undefined : policy.countries[country];
  return rule === undefined || country === undefined
    ? { country: 'otherCountries', rule: policy.otherCountries }
    : { country, rule };
}

/** First override whose scope matches wins; otherwise the country's own windows. */
export function applicableWindow(
  policy: ContactPolicy,
  country: string | undefined,
  touch: { channel: Channel; category: Category; purpose: Purpose },
): ApplicableWindow {
  const { country: code, rule } = countryRuleFor(policy, country);
  const override = rule.overrides.find((candidate) => inScope(candidate, touch));
  if (override !== undefined) {
    const closedOnHolidays = override.closedOnHolidays ?? rule.closedOnHolidays;
    return {
      country: code,
      rule,
      windows: override.windows,
      closedOnHolidays,
      source: override.source ?? rule.source,
      schedule: scheduleFor(override, rule, override.windows, closedOnHolidays),
    };
  }
  return {
    country: code,
    rule,
    windows: rule.windows,
    closedOnHolidays: rule.closedOnHolidays,
    source: rule.source,
    schedule: scheduleFor(rule, rule, rule.windows, rule.closedOnHolidays),
  };
}
