import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONTACT_POLICY_FILE } from '../../config/contact-policy';
import { projectRoot } from '../../runtime/project-paths';

// Rules files for tests and benchmarks, derived from the shipped rules. No Temporal imports here:
// benchmarks use them too.

/**
 * Contact rules for channel tests: the shipped rules, with US contact allowed around the clock,
 * so a test's outcome never depends on the hour CI runs at. The policy's own tests cover windows.
 */
export function roundTheClockPolicyFile(dir: string): string {
  const rules = JSON.parse(readFileSync(path.join(projectRoot(), DEFAULT_CONTACT_POLICY_FILE), 'utf8')) as {
    countries: Record<string, { windows: unknown[]; closedOnHolidays: boolean }>;
  };
  const us = rules.countries.US;
  if (us === undefined) throw new Error('the shipped rules have no US entry');
  us.windows = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }];
  us.closedOnHolidays = false;
  const file = path.join(dir, 'round-the-clock-rules.json');
  writeFileSync(file, JSON.stringify(rules));
  return file;
}

/**
 * Contact rules for callback tests, from the shipped rules:
 * - `round-the-clock`: US calls allowed at any hour and the centre always staffed, so a test's outcome
 *   never depends on the hour CI runs at (the policy's own tests cover windows);
 * - `new-york-centre`: the US 08:00–21:00 window stays and the centre is staffed 08:00–20:00 New York
 *   time every day, for tests of when a callback may be made.
 */
export function callbackPolicyFile(dir: string, mode: 'round-the-clock' | 'new-york-centre'): string {
  const rules = JSON.parse(readFileSync(path.join(projectRoot(), DEFAULT_CONTACT_POLICY_FILE), 'utf8')) as {
    centreHours: Record<string, unknown>;
    countries: Record<string, { windows: unknown[]; closedOnHolidays: boolean }>;
  };
  const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const hours =
    mode === 'round-the-clock' ? { start: '00:00', end: '24:00' } : { start: '08:00', end: '20:00' };
  rules.centreHours = {
    ...rules.centreHours,
    timeZone: 'America/New_York',
    windows: [{ days: everyDay, ...hours }],
    holidays: [],
    specialDays: [],
  };
  const us = rules.countries.US;
  if (us === undefined) throw new Error('the shipped rules have no US entry');
  if (mode === 'round-the-clock') us.windows = [{ days: everyDay, start: '00:00', end: '24:00' }];
  const file = path.join(dir, `callback-rules-${mode}.json`);
  writeFileSync(file, JSON.stringify(rules));
  return file;
}
