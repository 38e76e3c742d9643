import { DateTime } from 'luxon';

/**
 * Calendar arithmetic on a zone's wall clock, with luxon: "the day before at the same time", "local
 * midnight", "the next 16:00". A wall-clock time that happens twice (fall-back) stands for its first
 * pass; one that does not happen (inside a spring-forward gap) is read with the offset before the gap,
 * so 02:30 becomes 03:30. luxon reads a gap that way itself, but a repeated time by whichever offset
 * it starts from, so every answer here goes through `firstPass`.
 *
 * Not for workflow code, which keeps luxon out of its bundle; the calling windows read offsets with
 * the hand-written `zone-offset.ts`, which is faster (docs/zone-arithmetic.md).
 */

/** An instant on the wall clock of `timeZone`; a zone the zone data does not know is a RangeError. */
export function inZone(epochMs: number, timeZone: string): DateTime {
  const time = DateTime.fromMillis(epochMs, { zone: timeZone });
  if (!time.isValid) throw new RangeError(`${time.invalidExplanation ?? 'invalid time'} (${timeZone})`);
  return time;
}

/** The local date and time of an instant in `timeZone`, as a UTC DateTime: days and hours add plainly. */
export function wallClock(epochMs: number, timeZone: string): DateTime {
  return inZone(epochMs, timeZone).setZone('utc', { keepLocalTime: true });
}

/** The earliest instant a wall-clock time stands for: the first pass of a repeated (fall-back) time. */
export function firstPass(time: DateTime): DateTime {
  return time
    .getPossibleOffsets()
    .reduce((earliest, reading) => (reading.toMillis() < earliest.toMillis() ? reading : earliest), time);
}

/** The instant at which the wall clock of `timeZone` shows `wall` (a UTC DateTime read as local time). */
export function instantOfWallClock(wall: DateTime, timeZone: string): number {
  const zoned = wall.setZone(timeZone, { keepLocalTime: true });
  if (!zoned.isValid) throw new RangeError(`${zoned.invalidExplanation ?? 'invalid time'} (${timeZone})`);
  return firstPass(zoned).toMillis();
}

/**
 * The instant a wall-clock time in `timeZone` stands for, given as local epoch milliseconds (the local
 * date and time read as UTC): the inverse of `localEpochMs`.
 */
export function instantOfLocalTime(local: number, timeZone: string): number {
  return instantOfWallClock(DateTime.fromMillis(local, { zone: 'utc' }), timeZone);
}

/** Calendar days from the local date of `from` to that of `to` (each on its own zone's clock). */
export function calendarDaysBetween(from: DateTime, to: DateTime): number {
  const date = (time: DateTime): DateTime => DateTime.utc(time.year, time.month, time.day);
  return date(to).diff(date(from), 'days').days;
}
