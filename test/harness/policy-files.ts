import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONTACT_POLICY_FILE } from '../../config/contact-policy';
import { projectRoot } from '../../runtime/project-paths';

// Rules files for tests and benchmarks, derived from the shipped rules. No Temporal imports here:
// benchmarks use them too.
//
// A test's outcome must never depend on the day or hour it runs at, so every window a test relies on is
// written here explicitly rather than inherited from the shipped file. `.ci/run` proves it: it runs the
// integration suite a second time with RECONTACT_TEST_SHIPPED_POLICY pointing at a copy of the shipped
// rules whose every window is closed (test/harness/closed-policy.ts); a test that inherited a shipped
// window fails there whatever the clock says.

/** Names the rules file that test policies derive from instead of the shipped one (the closed-rules check). */
export const SHIPPED_POLICY_ENV = 'RECONTACT_TEST_SHIPPED_POLICY';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ALL_DAY = [{ days: EVERY_DAY, start: '00:00', end: '24:00' }];

interface CountryRules {
  windows: unknown[];
  closedOnHolidays: boolean;
  holidays: unknown[];
  overrides?: { windows: unknown[]; closedOnHolidays?: boolean }[];
  /** States with stricter windows (US): opened with their country. */
  subdivisions?: Record<string, { overrides: { windows: unknown[]; closedOnHolidays?: boolean }[] }>;
}
interface Rules {
  centreHours: Record<string, unknown>;
  countries: Record<string, CountryRules>;
  otherCountries: CountryRules;
  replyToCustomerContact?: unknown;
}

/** The shipped rules (or the file RECONTACT_TEST_SHIPPED_POLICY names), parsed. */
export function shippedRules(): Rules {
  const file = process.env[SHIPPED_POLICY_ENV] || path.join(projectRoot(), DEFAULT_CONTACT_POLICY_FILE);
  return JSON.parse(readFileSync(file, 'utf8')) as Rules;
}

/** Every country, the other countries and every override of theirs: contact allowed at any hour, any day. */
function openEveryCountry(rules: Rules): void {
  for (const country of [...Object.values(rules.countries), rules.otherCountries]) {
    country.windows = ALL_DAY;
    country.closedOnHolidays = false;
    country.holidays = [];
    const stateOverrides = Object.values(country.subdivisions ?? {}).flatMap((state) => state.overrides);
    for (const override of [...(country.overrides ?? []), ...stateOverrides]) {
      override.windows = ALL_DAY;
      override.closedOnHolidays = false;
    }
  }
}

function staffCentre(rules: Rules, hours: { start: string; end: string }): void {
  rules.centreHours = {
    ...rules.centreHours,
    timeZone: 'America/New_York',
    windows: [{ days: EVERY_DAY, ...hours }],
    holidays: [],
    specialDays: [],
  };
}

function writeRules(dir: string, name: string, rules: Rules): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(rules));
  return file;
}

/**
 * Contact rules for channel tests: the shipped rules with contact allowed around the clock in every
 * country (known or not, any channel and category) and the centre always staffed. The policy's own
 * tests cover windows.
 */
export function roundTheClockPolicyFile(dir: string): string {
  return callbackPolicyFile(dir, 'round-the-clock');
}

/**
 * Contact rules for callback tests, from the shipped rules:
 * - `round-the-clock`: contact allowed at any hour in every country and the centre always staffed, so a
 *   test's outcome never depends on the hour CI runs at (the policy's own tests cover windows);
 * - `new-york-centre`: US contact 08:00–21:00 local time every day (the federal window, pinned here)
 *   and the centre staffed 08:00–20:00 New York time every day, for tests of when a callback may be
 *   made; such a test pins its own clock (time-skipping server).
 * Both: state rules opened with their country, and replies to the customer's own contact (SMS
 * callback) allowed at any hour for 15 minutes after it.
 */
export function callbackPolicyFile(dir: string, mode: 'round-the-clock' | 'new-york-centre'): string {
  const rules = shippedRules();
  openEveryCountry(rules);
  // Pinned, not inherited: callback tests rely on a prompt acknowledgement going at any hour.
  rules.replyToCustomerContact = { withinMinutes: 15, channels: ['sms'], purposes: ['callback'] };
  if (mode === 'round-the-clock') {
    staffCentre(rules, { start: '00:00', end: '24:00' });
  } else {
    const us = rules.countries.US;
    if (us === undefined) throw new Error('the shipped rules have no US entry');
    us.windows = [{ days: EVERY_DAY, start: '08:00', end: '21:00' }];
    staffCentre(rules, { start: '08:00', end: '20:00' });
  }
  return writeRules(dir, `callback-rules-${mode}.json`, rules);
}
