import fc from 'fast-check';
import { loadContactPolicy } from '../../../../config/contact-policy';
import {
  CHANNELS,
  PURPOSES,
  type CentreHours,
  type ContactPolicy,
  type CountryRule,
  type WeeklyWindow,
} from '../../../../domain/policy';
import { transitionsIn, wallClock, type RawWindow } from './oracle';

/** Every zone the runtime knows: the engine must be right in all of them. */
export const ALL_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export const zoneArb = fc.constantFrom(...ALL_ZONES);

// Starts cluster where DST moves the clock (00:00–04:00), at legal edges, and anywhere at all.
const startMinuteArb = fc.oneof(
  fc.integer({ min: 0, max: 1_439 }),
  fc.integer({ min: 0, max: 240 }),
  fc.constantFrom(480, 540, 600, 840, 1_200, 1_260),
);

export const windowArb: fc.Arbitrary<WeeklyWindow> = fc
  .record({
    days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
    start: startMinuteArb,
    length: fc.oneof(fc.integer({ min: 1, max: 1_440 }), fc.integer({ min: 1, max: 180 })),
  })
  .map(({ days, start, length }) => ({
    days,
    start: hhmm(start),
    end: hhmm(Math.min(1_440, start + length)),
  }));

const holidayArb = fc.oneof(
  fc
    .record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
    .map(({ month, day }) => `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`),
  fc
    .record({
      year: fc.integer({ min: 1995, max: 2035 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
    })
    .map(
      ({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    ),
);

/** A country rule with generated windows and holidays (the form the rules file takes after validation). */
export const countryRuleArb: fc.Arbitrary<CountryRule> = fc
  .record({
    windows: fc.array(windowArb, { minLength: 1, maxLength: 3 }),
    holidays: fc.array(holidayArb, { maxLength: 4 }),
    closedOnHolidays: fc.boolean(),
  })
  .map(({ windows, holidays, closedOnHolidays }) => ({
    name: 'Generated',
    timeZones: [],
    windows,
    closedOnHolidays,
    holidays: holidays.map((date) => ({ date, name: `holiday ${date}` })),
    overrides: [],
    frequencyCaps: [],
    subdivisions: {},
  }));

export const EARLIEST = Date.UTC(1990, 0, 1);
export const LATEST = Date.UTC(2040, 0, 1);

/** Anywhere in 1990–2040, to the millisecond. */
export const anyInstantArb = fc.integer({ min: EARLIEST, max: LATEST });

/** Where to aim an instant: anywhere, near one of the zone's DST changes, or near a window edge. */
export const instantSeedArb = fc.record({
  mode: fc.constantFrom('anywhere', 'near-transition', 'near-edge'),
  anywhere: anyInstantArb,
  // Years where zones changed their rules (EU 1996, US 2007, Russia 2011/2014, Turkey 2016, Morocco 2018,
  // Brazil 2019, Mexico 2022, Greenland 2023), recent ones, and 2038 (the 32-bit time edge).
  year: fc.constantFrom(1996, 2007, 2011, 2014, 2016, 2018, 2019, 2022, 2023, 2024, 2025, 2026, 2030, 2038),
  pick: fc.nat(),
  minutes: fc.integer({ min: -180, max: 180 }),
  edgeDelta: fc.integer({ min: -3, max: 3 }),
  extraMs: fc.constantFrom(0, 0, 0, 1_000, 59_999),
});
export type InstantSeed = typeof instantSeedArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * The instant a seed aims at in `zone`: within three hours of one of its offset changes in a chosen year,
 * or a few minutes from a window edge (so 20:59 / 21:00 style cases are common, not rare).
 */
export function pickInstant(seed: InstantSeed, zone: string, windows: readonly RawWindow[]): number {
  if (seed.mode === 'near-transition') {
    const transitions = transitionsIn(zone, seed.year);
    const base =
      transitions.length === 0
        ? Date.UTC(seed.year, 0, 1) + (seed.anywhere % (365 * 86_400_000))
        : (transitions[seed.pick % transitions.length] as number);
    return base + seed.minutes * 60_000 + seed.extraMs;
  }
  if (seed.mode === 'near-edge' && windows.length > 0) {
    const window = windows[seed.pick % windows.length] as RawWindow;
    const edge = seed.pick % 2 === 0 ? window.start : window.end;
    const edgeMinute = Number(edge.slice(0, 2)) * 60 + Number(edge.slice(3, 5));
    const anchor = seed.anywhere - (seed.anywhere % 60_000);
    const wall = wallClock(anchor, zone);
    return anchor + (edgeMinute - wall.minuteOfDay + seed.edgeDelta) * 60_000 + seed.extraMs;
  }
  return seed.anywhere;
}

let basePolicy: ContactPolicy | undefined;

/** The shipped rules with `otherCountries` replaced, no caps and a chosen search horizon. */
export function policyWith(rule: CountryRule, changes: Partial<ContactPolicy> = {}): ContactPolicy {
  basePolicy ??= loadContactPolicy();
  return { ...basePolicy, countries: {}, otherCountries: rule, frequencyCaps: [], ...changes };
}

/** Centre hours in some zone, with holidays and special days, required for some channels and purposes. */
export const centreHoursArb: fc.Arbitrary<CentreHours> = fc
  .record({
    timeZone: zoneArb,
    windows: fc.array(windowArb, { minLength: 1, maxLength: 3 }),
    holidays: fc.array(holidayArb, { maxLength: 3 }),
    specialDays: fc.array(
      fc.record({
        year: fc.integer({ min: 1995, max: 2035 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
        hours: fc.array(windowArb, { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    channels: fc.subarray([...CHANNELS], { minLength: 1 }),
    purposes: fc.subarray([...PURPOSES], { minLength: 1 }),
  })
  .map(({ timeZone, windows, holidays, specialDays, channels, purposes }) => ({
    timeZone,
    windows,
    holidays: holidays.map((date) => ({ date, name: `holiday ${date}` })),
    specialDays: specialDays.map(({ year, month, day, hours }) => ({
      date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      name: 'special',
      hours: hours.map(({ start, end }) => ({ start, end })),
    })),
    requiredFor: { channels, purposes },
  }));

/** A contact with a known zone, candidate zones, or (rarely) neither. */
export const contactArb: fc.Arbitrary<{ timeZone?: string; candidateTimeZones: string[] }> = fc.oneof(
  { weight: 3, arbitrary: zoneArb.map((timeZone) => ({ timeZone, candidateTimeZones: [] as string[] })) },
  {
    weight: 3,
    arbitrary: fc
      .uniqueArray(zoneArb, { minLength: 1, maxLength: 3 })
      .map((candidateTimeZones) => ({ candidateTimeZones })),
  },
  { weight: 1, arbitrary: fc.constant({ candidateTimeZones: [] as string[] }) },
);
