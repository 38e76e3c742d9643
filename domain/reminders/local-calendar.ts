import { MS_PER_DAY } from '../policy/civil-date';
import { instantOfLocalTime } from '../policy/calling-window';
import { zoneOffsetMs } from '../policy/zone-offset';

/**
 * The instant `days` calendar days before `epochMs` at the same wall-clock time in `timeZone`:
 * "the day before at 10:00" stays 10:00 across a DST change, where 24 elapsed hours would land at
 * 09:00 or 11:00. A repeated wall-clock time (fall-back) takes its first pass; one that does not
 * exist (inside a spring-forward gap) reads with the offset before the gap, so 02:30 becomes 03:30.
 */
export function sameLocalTimeDaysBefore(epochMs: number, days: number, timeZone: string): number {
  return instantOfLocalTime(epochMs + zoneOffsetMs(epochMs, timeZone) - days * MS_PER_DAY, timeZone);
}
