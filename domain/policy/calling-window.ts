import { MS_PER_DAY } from './civil-date';
import {
  type WeeklySchedule,
  isAlwaysOpen,
  isOpenLocal,
  nextOpenLocal,
  openStretchEndLocal,
} from './weekly-schedule';
import { nextOffsetChange, zoneOffsetMs } from './zone-offset';

/**
 * A calling window is a weekly schedule read on the called party's wall clock in one IANA zone.
 *
 * An instant is inside when its local time is: every instant has exactly one local time, so a skipped
 * (spring-forward) hour can never be "used", and both passes of a repeated (fall-back) hour are judged by
 * the same wall-clock minutes.
 *
 * This is the hot path of every contact decision: offsets come from the hand-written reader in
 * `zone-offset.ts`, not from luxon (docs/zone-arithmetic.md). The inverse, a wall-clock time to an
 * instant, is `instantOfLocalTime` in `local-time.ts`.
 */

/** Wall-clock time in `timeZone` as local epoch milliseconds. */
export function localEpochMs(epochMs: number, timeZone: string): number {
  return epochMs + zoneOffsetMs(epochMs, timeZone);
}

export function isInsideWindow(schedule: WeeklySchedule, timeZone: string, epochMs: number): boolean {
  return isOpenLocal(schedule, localEpochMs(epochMs, timeZone));
}

/**
 * The earliest instant at or after `fromMs` (and not after `limitMs`) that is inside the window, or null.
 *
 * Between two offset changes local time runs in step with UTC, so the next window start converts back with
 * the current offset. If the offset changes first, restart from the instant it changes: after a
 * spring-forward gap that is where a window opening inside the gap actually begins.
 */
export function nextInsideWindow(
  schedule: WeeklySchedule,
  timeZone: string,
  fromMs: number,
  limitMs: number,
): number | null {
  let from = fromMs;
  while (from <= limitMs) {
    const offset = zoneOffsetMs(from, timeZone);
    // Look a day past the limit on the local clock: an offset change before the limit shifts it.
    const local = nextOpenLocal(schedule, from + offset, limitMs + offset + MS_PER_DAY);
    const candidate = local === null ? null : local - offset;
    if (candidate === from) return from;
    const change = nextOffsetChange(
      from,
      candidate === null ? limitMs : Math.min(candidate, limitMs),
      timeZone,
      offset,
    );
    if (change !== null) {
      from = change;
      continue;
    }
    return candidate !== null && candidate <= limitMs ? candidate : null;
  }
  return null;
}

/**
 * An instant by which a window open at `epochMs` must be asked about again: the end of the open
 * stretch on the local clock, or the zone's next offset change if that comes first (the window may
 * end earlier or later than the old offset says). Never after the real close; `epochMs` itself when
 * the window is closed; null when the window never closes.
 */
export function openUntil(schedule: WeeklySchedule, timeZone: string, epochMs: number): number | null {
  if (isAlwaysOpen(schedule)) return null;
  const offset = zoneOffsetMs(epochMs, timeZone);
  const end = openStretchEndLocal(schedule, epochMs + offset);
  if (end === null) return epochMs;
  const endInstant = end - offset;
  return nextOffsetChange(epochMs, endInstant, timeZone, offset) ?? endInstant;
}
