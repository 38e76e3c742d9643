/**
 * Dates without a zone, as plain numbers, for the calling windows' hot path: a "local epoch" is
 * wall-clock time read as if it were UTC, so days and minutes fall out of plain division, and a day
 * number turns into a date with the engine's own UTC calendar (never the clock, never the machine's
 * zone). Calendar arithmetic in a zone is luxon's, in `local-time.ts`.
 */

export const MS_PER_SECOND = 1_000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MINUTES_PER_DAY = 1_440;

/** Days of the week as the rules file spells them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / MS_PER_DAY);
}

/** The date `days` days after 1970-01-01. */
export function civilFromDays(days: number): CivilDate {
  const date = new Date(days * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 1970-01-01 was a Thursday. */
export function weekdayOfDays(days: number): Weekday {
  return WEEKDAYS[(((days + 3) % 7) + 7) % 7] as Weekday;
}

/** Compact numeric key for a date, e.g. 20250106; cheap to put in a Set. */
export function dateKey(date: CivilDate): number {
  return date.year * 10_000 + date.month * 100 + date.day;
}

/** Key for a date that recurs every year, e.g. 106 for 6 January. */
export function annualKey(date: CivilDate): number {
  return date.month * 100 + date.day;
}

export function isValidCivilDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const back = civilFromDays(daysFromCivil(year, month, day));
  return back.year === year && back.month === month && back.day === day;
}

/** Minutes after midnight of a validated `HH:MM` string (`24:00` allowed as an end). */
export function parseHhMm(text: string): number {
  const [hours, minutes] = text.split(':');
  return Number(hours) * 60 + Number(minutes);
}
