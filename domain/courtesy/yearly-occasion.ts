import { daysFromCivil, MS_PER_DAY, MS_PER_MINUTE, civilFromDays } from '../policy/civil-date';
import { instantOfLocalTime } from '../policy/calling-window';
import { zoneOffsetMs } from '../policy/zone-offset';

export interface YearlyOccasion {
  month: number;
  day: number;
  daysBefore: number;
  /** HH:MM on the customer's clock. */
  localTime: string;
  /**
   * Every zone the customer may be in (at least one; never a guessed UTC): the outreach is at
   * `localTime` or later on all their clocks.
   */
  timeZones: readonly string[];
}

export interface NextOutreach {
  /** When to reach out. */
  outreachMs: number;
  /** The occasion's date that year, YYYY-MM-DD. */
  occasionDate: string;
  year: number;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The first outreach strictly after `afterMs`: `daysBefore` days before the occasion's date, at
 * `localTime` in the customer's zone — in the last of their candidate zones to reach it, so that it is
 * not earlier than `localTime` in any of them. Pure (the zone data aside).
 */
export function nextYearlyOutreach(occasion: YearlyOccasion, afterMs: number): NextOutreach {
  if (occasion.timeZones.length === 0) throw new Error('a yearly outreach needs at least one time zone');
  const [hours, minutes] = occasion.localTime.split(':').map(Number) as [number, number];
  const localYear = Math.min(
    ...occasion.timeZones.map(
      (zone) => civilFromDays(Math.floor((afterMs + zoneOffsetMs(afterMs, zone)) / MS_PER_DAY)).year,
    ),
  );
  for (let year = localYear; ; year += 1) {
    const day = occasion.month === 2 && occasion.day === 29 && !isLeap(year) ? 28 : occasion.day;
    const occasionDays = daysFromCivil(year, occasion.month, day);
    const local = (occasionDays - occasion.daysBefore) * MS_PER_DAY + (hours * 60 + minutes) * MS_PER_MINUTE;
    const outreachMs = Math.max(...occasion.timeZones.map((zone) => instantOfLocalTime(local, zone)));
    if (outreachMs > afterMs) {
      const mm = String(occasion.month).padStart(2, '0');
      const dd = String(day).padStart(2, '0');
      return { outreachMs, occasionDate: `${year}-${mm}-${dd}`, year };
    }
  }
}
