import { DateTime } from 'luxon';
import { instantOfWallClock } from '../policy/local-time';

/**
 * Epoch ms of local midnight of `date` (YYYY-MM-DD) in `timeZone`; where the clock skips midnight
 * (a spring-forward at 00:00), the first instant of that day.
 */
export function localMidnight(date: string, timeZone: string): number {
  return instantOfWallClock(DateTime.fromISO(date, { zone: 'utc' }), timeZone);
}

/** The period [from, to) of the centre's calendar as instants. */
export function kpiPeriod(from: string, to: string, timeZone: string): { fromMs: number; toMs: number } {
  return { fromMs: localMidnight(from, timeZone), toMs: localMidnight(to, timeZone) };
}
