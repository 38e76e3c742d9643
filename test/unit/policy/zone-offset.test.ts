import fc from 'fast-check';
import { civilFromDays, daysFromCivil, weekdayOfDays } from '../../../domain/policy/civil-date';
import { ensure } from './support/ensure';
import { isKnownTimeZone, nextOffsetChange, zoneOffsetMs } from '../../../domain/policy/zone-offset';

const HOUR = 3_600_000;

describe('civil dates', () => {
  it('agree with Date.UTC for every day from year 1000 to 9999', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: daysFromCivil(1000, 1, 1), max: daysFromCivil(9999, 12, 31) }),
        (days) => {
          const date = new Date(days * 86_400_000);
          const civil = civilFromDays(days);
          const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][date.getUTCDay()];
          ensure(
            civil.year === date.getUTCFullYear() &&
              civil.month === date.getUTCMonth() + 1 &&
              civil.day === date.getUTCDate() &&
              daysFromCivil(civil.year, civil.month, civil.day) === days &&
              weekdayOfDays(days) === weekday,
            () =>
              `day ${days}: ${JSON.stringify(civil)} ${weekdayOfDays(days)} vs ${date.toISOString()} ${weekday}`,
          );
        },
      ),
      { numRuns: 100_000 },
    );
  });
});

describe('zone offsets from Intl', () => {
  it.each([
    ['Europe/Madrid', '2025-01-15T12:00:00Z', 1 * HOUR],
    ['Europe/Madrid', '2025-07-15T12:00:00Z', 2 * HOUR],
    ['America/New_York', '2025-01-15T12:00:00Z', -5 * HOUR],
    ['Asia/Kolkata', '2025-01-15T12:00:00Z', 5.5 * HOUR],
    ['Asia/Kathmandu', '2025-01-15T12:00:00Z', 5.75 * HOUR],
    ['Australia/Lord_Howe', '2025-01-15T12:00:00Z', 11 * HOUR], // half-hour DST
    ['Australia/Lord_Howe', '2025-07-15T12:00:00Z', 10.5 * HOUR],
    ['Pacific/Chatham', '2025-01-15T12:00:00Z', 13.75 * HOUR],
    ['Pacific/Kiritimati', '2025-01-15T12:00:00Z', 14 * HOUR],
    ['Etc/GMT+12', '2025-01-15T12:00:00Z', -12 * HOUR],
  ])('%s at %s', (zone, instant, offset) => {
    expect(zoneOffsetMs(Date.parse(instant), zone)).toBe(offset);
  });

  it('finds the exact millisecond an offset changes (Madrid spring-forward and fall-back 2025)', () => {
    const winter = zoneOffsetMs(Date.parse('2025-03-29T12:00:00Z'), 'Europe/Madrid');
    expect(
      nextOffsetChange(
        Date.parse('2025-03-29T12:00:00Z'),
        Date.parse('2025-04-30T00:00:00Z'),
        'Europe/Madrid',
        winter,
      ),
    ).toBe(Date.parse('2025-03-30T01:00:00Z'));
    const summer = zoneOffsetMs(Date.parse('2025-10-01T00:00:00Z'), 'Europe/Madrid');
    expect(
      nextOffsetChange(
        Date.parse('2025-10-01T00:00:00Z'),
        Date.parse('2025-12-01T00:00:00Z'),
        'Europe/Madrid',
        summer,
      ),
    ).toBe(Date.parse('2025-10-26T01:00:00Z'));
    expect(
      nextOffsetChange(
        Date.parse('2025-04-01T00:00:00Z'),
        Date.parse('2025-10-01T00:00:00Z'),
        'Europe/Madrid',
        summer,
      ),
    ).toBeNull();
  });

  it('knows IANA names and aliases, and nothing else', () => {
    expect(isKnownTimeZone('America/Indiana/Indianapolis')).toBe(true);
    expect(isKnownTimeZone('America/Indianapolis')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });

  it('refuses instants outside the years it can read unambiguously', () => {
    expect(() => zoneOffsetMs(Date.UTC(999, 11, 31), 'UTC')).toThrow(RangeError);
    expect(() => zoneOffsetMs(Number.NaN, 'UTC')).toThrow(RangeError);
  });
});
