import { MS_PER_HOUR, MS_PER_MINUTE } from '../policy/civil-date';
import { instantOfWallClock, wallClock } from '../policy/local-time';
import type { ReminderOffset } from './reminder-offset';

/**
 * The instant `days` calendar days before `epochMs` at the same wall-clock time in `timeZone`:
 * "the day before at 10:00" stays 10:00 across a DST change, where 24 elapsed hours would land at
 * 09:00 or 11:00. A repeated wall-clock time (fall-back) takes its first pass; one that does not
 * exist (inside a spring-forward gap) reads with the offset before the gap, so 02:30 becomes 03:30.
 */
export function sameLocalTimeDaysBefore(epochMs: number, days: number, timeZone: string): number {
  return instantOfWallClock(wallClock(epochMs, timeZone).minus({ days }), timeZone);
}

/** The instant an offset names before an appointment at `appointmentMs`, read in `timeZone`. */
export function nominalDueMs(appointmentMs: number, offset: ReminderOffset, timeZone: string): number {
  const dayShifted =
    offset.days === 0 ? appointmentMs : sameLocalTimeDaysBefore(appointmentMs, offset.days, timeZone);
  return dayShifted - offset.hours * MS_PER_HOUR - offset.minutes * MS_PER_MINUTE;
}
