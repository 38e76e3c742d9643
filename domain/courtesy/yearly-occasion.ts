import { DateTime } from 'luxon';
import { inZone, instantOfWallClock } from '../policy/local-time';

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

/**
 * The first outreach strictly after `afterMs`: `daysBefore` days before the occasion's date, at
 * `localTime` in the customer's zone — in the last of their candidate zones to reach it, so that it is
 * not earlier than `localTime` in any of them. 29 February falls on the 28th in a common year. Pure
 * (the zone data aside).
 */
export function nextYearlyOutreach(occasion: YearlyOccasion, afterMs: number): NextOutreach {
  if (occasion.timeZones.length === 0) throw new Error('a yearly outreach needs at least one time zone');
  const [hour, minute] = occasion.localTime.split(':').map(Number) as [number, number];
  const localYear = Math.min(...occasion.timeZones.map((zone) => inZone(afterMs, zone).year));
  for (let year = localYear; ; year += 1) {
    const leapDayMissing = occasion.month === 2 && occasion.day === 29 && !DateTime.utc(year).isInLeapYear;
    const occasionDate = DateTime.utc(year, occasion.month, leapDayMissing ? 28 : occasion.day);
    const outreachWall = occasionDate.minus({ days: occasion.daysBefore }).set({ hour, minute });
    const outreachMs = Math.max(...occasion.timeZones.map((zone) => instantOfWallClock(outreachWall, zone)));
    if (outreachMs > afterMs) return { outreachMs, occasionDate: occasionDate.toISODate() as string, year };
  }
}
