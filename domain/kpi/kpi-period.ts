import { instantOfLocalTime } from '../policy';

/** Epoch ms of local midnight of `date` (YYYY-MM-DD) in `timeZone`. */
export function localMidnight(date: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return instantOfLocalTime(Date.UTC(year, month - 1, day), timeZone);
}

/** The period [from, to) of the centre's calendar as instants. */
export function kpiPeriod(from: string, to: string, timeZone: string): { fromMs: number; toMs: number } {
  return { fromMs: localMidnight(from, timeZone), toMs: localMidnight(to, timeZone) };
}
