import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContactPolicyError, loadContactPolicy } from '../../../config/contact-policy';
import defaults from '../../../config/contact-policy.default.json';

describe('contact policy rules file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recontact-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writeRules = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('loads the shipped rules when no file is named', () => {
    const policy = loadContactPolicy();
    expect(Object.keys(policy.countries)).toEqual(['US', 'ES', 'FR']);
    expect(policy.countries.ES?.windows).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '09:00', end: '21:00' },
    ]);
    expect(policy.searchHorizonDays).toBe(62);
  });

  it('loads a deployment’s own file and applies defaults to keys it leaves out', () => {
    const rules = structuredClone(defaults) as Record<string, unknown>;
    delete rules.searchHorizonDays;
    (rules.centreHours as { timeZone: string }).timeZone = 'America/Chicago';
    const policy = loadContactPolicy(writeRules('own.json', JSON.stringify(rules)));
    expect(policy.centreHours.timeZone).toBe('America/Chicago');
    expect(policy.searchHorizonDays).toBe(62);
  });

  it('fails with one error that names every wrong key', () => {
    const rules = structuredClone(defaults) as unknown as {
      countries: Record<string, Record<string, unknown>>;
      centreHours: Record<string, unknown>;
      retryLadders: { callback: { outcomes: { busy: { maxAttempts: number } } } };
      priority?: unknown;
    };
    const spain = rules.countries.ES as {
      windows: { start: string; end: string }[];
      holidays: { date: string }[];
    };
    spain.windows[0] = { ...spain.windows[0], start: '9am', end: '21:00' };
    (spain.holidays[0] as { date: string }).date = '2025-02-30';
    (rules.countries.ES as Record<string, unknown>).windwos = [];
    rules.countries.es = rules.countries.FR as Record<string, unknown>;
    rules.centreHours.timeZone = 'Mars/Olympus_Mons';
    rules.retryLadders.callback.outcomes.busy.maxAttempts = 0;
    delete rules.priority;
    const path = writeRules('bad.json', JSON.stringify(rules));

    let error: unknown;
    try {
      loadContactPolicy(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ContactPolicyError);
    const problems = (error as ContactPolicyError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'countries.ES.windows[0].start: expected HH:MM (00:00 to 24:00)',
        'countries.ES.holidays[0].date: expected a real calendar date',
        'countries.ES.windwos: unknown key',
        'countries.es: expected an ISO 3166-1 alpha-2 country code such as ES',
        'centreHours.timeZone: expected an IANA time zone such as Europe/Madrid',
        expect.stringMatching(/^retryLadders\.callback\.outcomes\.busy\.maxAttempts: .*>=\s?1/),
        'priority: missing (expected object)',
      ]),
    );
    expect(problems).toHaveLength(7);
    expect((error as Error).message).toMatch(/^Invalid contact policy .*bad\.json:\n {2}- /);
  });

  it('rejects a window that ends before it starts, and weekday typos', () => {
    const rules = structuredClone(defaults);
    rules.otherCountries.windows = [{ days: ['mon', 'funday'], start: '20:00', end: '09:00' }] as never;
    expect(() => loadContactPolicy(writeRules('backwards.json', JSON.stringify(rules)))).toThrow(
      /otherCountries\.windows\[0\]\.days\[1\]: .*\n.*otherCountries\.windows\[0\]\.end: expected end later than start/,
    );
  });

  it('rejects a default tier that is not a tier', () => {
    const rules = structuredClone(defaults);
    rules.priority.defaultTier = 'bronze';
    expect(() => loadContactPolicy(writeRules('tier.json', JSON.stringify(rules)))).toThrow(
      'priority.defaultTier: expected one of the tiers (standard, silver, gold, platinum)',
    );
  });

  it('says so when the file is missing or not JSON', () => {
    expect(() => loadContactPolicy(join(dir, 'nope.json'))).toThrow(
      /nope\.json:\n {2}- cannot read the file: ENOENT/,
    );
    expect(() => loadContactPolicy(writeRules('broken.json', '{ "version": 1,'))).toThrow(
      /- not valid JSON: /,
    );
  });
});
