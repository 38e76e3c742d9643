import { writeFileSync } from 'node:fs';
import { shippedRules } from './policy-files';

// Writes a copy of the shipped contact rules in which nothing is ever allowed: no country window (any
// channel, category or purpose) and the centre closed on every day around the run. `.ci/run` runs the
// integration suite with it as the base of every test policy (RECONTACT_TEST_SHIPPED_POLICY): a test
// that relies on a shipped window, and so on the day or hour it runs, fails there.
//
//   npx tsx test/harness/closed-policy.ts <out.json>

const DAY_MS = 24 * 60 * 60 * 1_000;

function closedRules(now: number) {
  const rules = shippedRules() as ReturnType<typeof shippedRules> & { searchHorizonDays?: number };
  for (const country of [...Object.values(rules.countries), rules.otherCountries]) {
    country.windows = [];
    for (const override of country.overrides ?? []) override.windows = [];
  }
  const days = (rules.searchHorizonDays ?? 62) + 4;
  rules.centreHours = {
    ...rules.centreHours,
    specialDays: Array.from({ length: days }, (_, index) => ({
      date: new Date(now + (index - 2) * DAY_MS).toISOString().slice(0, 10),
      name: 'Closed for the closed-rules check',
      hours: [],
    })),
  };
  return rules;
}

const out = process.argv[2];
if (out === undefined) {
  process.stderr.write('usage: tsx test/harness/closed-policy.ts <out.json>\n');
  process.exit(2);
}
writeFileSync(out, JSON.stringify(closedRules(Date.now()), null, 2));
process.stdout.write(`closed contact rules written to ${out}\n`);
