import { inScope } from './frequency-cap';
import type { ContactPolicy, CountryRule, WeeklyWindow } from './rules-schema';
import type { NumberPlacement } from './subdivisions-for-number';
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

/** A subdivision's window that applies on top of the country's, with why it applies. */
export interface ApplicableSubdivisionWindow {
  /** `US-FL` */
  readonly code: string;
  readonly name: string;
  /** `area code 305`, `area code 800 is toll-free or non-geographic` */
  readonly basis: string;
  /** True when the number is placed there; false when it only may be. */
  readonly placed: boolean;
  readonly windows: readonly WeeklyWindow[];
  readonly closedOnHolidays: boolean;
  readonly source: string | undefined;
  readonly schedule: WeeklySchedule;
}

/**
 * The subdivision windows that apply to a touch of a number: those of every subdivision the number is
 * in, or may be in, whose first override matches the touch. All of them must hold, with the country's.
 */
export function applicableSubdivisionWindows(
  country: ApplicableWindow,
  placement: NumberPlacement,
  touch: { channel: Channel; category: Category; purpose: Purpose },
): ApplicableSubdivisionWindow[] {
  const found: ApplicableSubdivisionWindow[] = [];
  for (const [code, subdivision] of Object.entries(country.rule.subdivisions)) {
    const placed = placement.subdivisions !== 'any';
    if (placed && !placement.subdivisions.includes(code)) continue;
    const override = subdivision.overrides.find((candidate) => inScope(candidate, touch));
    if (override === undefined) continue;
    const closedOnHolidays = override.closedOnHolidays ?? country.rule.closedOnHolidays;
    found.push({
      code: `${country.country}-${code}`,
      name: subdivision.name,
      basis: placement.basis,
      placed,
      windows: override.windows,
      closedOnHolidays,
      source: override.source,
      schedule: scheduleFor(override, country.rule, override.windows, closedOnHolidays),
    });
  }
  return found;
}
