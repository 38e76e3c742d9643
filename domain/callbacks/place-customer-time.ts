import { instantOfWallClock, wallClock } from '../policy/local-time';

/** Where a time the customer gave us ("4pm") falls: one instant, or several when their zones disagree. */
export type PlacedCustomerTime =
  | { readonly kind: 'placed'; readonly atMs: number }
  /** No zone, or zones that put the time at different instants: ask the customer, never guess. */
  | { readonly kind: 'unclear'; readonly readings: readonly { timeZone: string; atMs: number }[] };

export interface CustomerTimeInput {
  readonly nowMs: number;
  readonly hour: number;
  readonly minute: number;
  /** The customer's zone when known, else every zone their number can be in. Never the centre's. */
  readonly zones: readonly string[];
}

/** The next instant after `nowMs` at which it is `hour:minute` in `timeZone`. */
export function nextLocalTime(nowMs: number, hour: number, minute: number, timeZone: string): number {
  const today = wallClock(nowMs, timeZone).set({ hour, minute, second: 0, millisecond: 0 });
  const at = instantOfWallClock(today, timeZone);
  return at > nowMs ? at : instantOfWallClock(today.plus({ days: 1 }), timeZone);
}

/**
 * Reads "hour:minute" as the customer meant it: the next such time in their zone. A number whose
 * candidate zones disagree on when that is (New York's 4 pm is not Chicago's) gives no answer.
 *
 * @example
 * placeCustomerTime({ nowMs, hour: 16, minute: 0, zones: ['America/Los_Angeles'] }) // placed at 16:00 PT
 */
export function placeCustomerTime(input: CustomerTimeInput): PlacedCustomerTime {
  const readings = [...new Set(input.zones)].map((timeZone) => ({
    timeZone,
    atMs: nextLocalTime(input.nowMs, input.hour, input.minute, timeZone),
  }));
  const first = readings[0];
  if (first === undefined || readings.some((reading) => reading.atMs !== first.atMs)) {
    return { kind: 'unclear', readings };
  }
  return { kind: 'placed', atMs: first.atMs };
}
