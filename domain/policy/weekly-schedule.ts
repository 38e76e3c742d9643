import {
  MINUTES_PER_DAY,
  MS_PER_DAY,
  MS_PER_MINUTE,
  WEEKDAYS,
  annualKey,
  civilFromDays,
  dateKey,
  parseHhMm,
} from './civil-date';
import type { Holiday, WeeklyWindow } from './rules-schema';

/**
 * Opening hours on a local wall clock, compiled from rules-file windows: which minutes of which local
 * day are open. Knows nothing about zones; `calling-window.ts` maps instants onto it.
 */

/** [startMinute, endMinute) after local midnight. */
export interface DailyInterval {
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface WeeklySchedule {
  /** Merged, sorted intervals per weekday, Monday first. */
  readonly weekly: readonly (readonly DailyInterval[])[];
  /** Dates (`dateKey`) closed all day, with the reason to show. */
  readonly closedDates: ReadonlyMap<number, string>;
  /** Every-year dates (`annualKey`) closed all day. */
  readonly closedAnnualDates: ReadonlyMap<number, string>;
  /** Dates with their own hours (empty: closed); they win over weekly hours and closed dates. */
  readonly specialDates: ReadonlyMap<
    number,
    { readonly name: string; readonly intervals: readonly DailyInterval[] }
  >;
}

export interface ScheduleSpec {
  readonly windows: readonly WeeklyWindow[];
  /** Closed all day on these dates. */
  readonly closedOn?: readonly Holiday[];
  readonly specialDays?: readonly {
    readonly date: string;
    readonly name: string;
    readonly hours: readonly { readonly start: string; readonly end: string }[];
  }[];
}

function mergeIntervals(intervals: DailyInterval[]): DailyInterval[] {
  const sorted = [...intervals].sort((a, b) => a.startMinute - b.startMinute);
  const merged: DailyInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.startMinute <= last.endMinute) {
      merged[merged.length - 1] = {
        startMinute: last.startMinute,
        endMinute: Math.max(last.endMinute, interval.endMinute),
      };
    } else {
      merged.push(interval);
    }
  }
  return merged;
}

function parseDate(text: string): { key: number; annual: boolean } {
  const parts = text.split('-').map(Number);
  if (parts.length === 2) return { key: (parts[0] as number) * 100 + (parts[1] as number), annual: true };
  return {
    key: dateKey({ year: parts[0] as number, month: parts[1] as number, day: parts[2] as number }),
    annual: false,
  };
}

export function compileSchedule(spec: ScheduleSpec): WeeklySchedule {
  const weekly = WEEKDAYS.map((weekday) =>
    mergeIntervals(
      spec.windows
        .filter((window) => window.days.includes(weekday))
        .map((window) => ({ startMinute: parseHhMm(window.start), endMinute: parseHhMm(window.end) })),
    ),
  );
  const closedDates = new Map<number, string>();
  const closedAnnualDates = new Map<number, string>();
  for (const holiday of spec.closedOn ?? []) {
    const { key, annual } = parseDate(holiday.date);
    (annual ? closedAnnualDates : closedDates).set(key, holiday.name);
  }
  const specialDates = new Map<number, { name: string; intervals: DailyInterval[] }>();
  for (const special of spec.specialDays ?? []) {
    specialDates.set(parseDate(special.date).key, {
      name: special.name,
      intervals: mergeIntervals(
        special.hours.map((range) => ({
          startMinute: parseHhMm(range.start),
          endMinute: parseHhMm(range.end),
        })),
      ),
    });
  }
  return { weekly, closedDates, closedAnnualDates, specialDates };
}

export type DayStatus =
  | { readonly kind: 'open'; readonly intervals: readonly DailyInterval[] }
  | { readonly kind: 'closed-day' }
  | { readonly kind: 'holiday'; readonly name: string }
  | { readonly kind: 'special-day'; readonly name: string; readonly intervals: readonly DailyInterval[] };

const weekdayIndex = (days: number): number => (((days + 3) % 7) + 7) % 7;

/** What a local day (days since 1970-01-01 on the local wall clock) looks like. */
export function dayStatus(schedule: WeeklySchedule, days: number): DayStatus {
  if (
    schedule.specialDates.size > 0 ||
    schedule.closedDates.size > 0 ||
    schedule.closedAnnualDates.size > 0
  ) {
    const date = civilFromDays(days);
    const special = schedule.specialDates.get(dateKey(date));
    if (special !== undefined)
      return { kind: 'special-day', name: special.name, intervals: special.intervals };
    const holiday =
      schedule.closedDates.get(dateKey(date)) ?? schedule.closedAnnualDates.get(annualKey(date));
    if (holiday !== undefined) return { kind: 'holiday', name: holiday };
  }
  const intervals = schedule.weekly[weekdayIndex(days)] ?? [];
  return intervals.length > 0 ? { kind: 'open', intervals } : { kind: 'closed-day' };
}

export function intervalsOn(schedule: WeeklySchedule, days: number): readonly DailyInterval[] {
  const status = dayStatus(schedule, days);
  return status.kind === 'open' || status.kind === 'special-day' ? status.intervals : [];
}

/** Is the local wall-clock time (local epoch ms) inside an open interval? */
export function isOpenLocal(schedule: WeeklySchedule, localMs: number): boolean {
  const days = Math.floor(localMs / MS_PER_DAY);
  const msOfDay = localMs - days * MS_PER_DAY;
  return intervalsOn(schedule, days).some(
    (interval) =>
      msOfDay >= interval.startMinute * MS_PER_MINUTE && msOfDay < interval.endMinute * MS_PER_MINUTE,
  );
}

/**
 * The earliest local wall-clock time at or after `localMs` that is open, or null if none up to
 * `localLimitMs`. Returns `localMs` itself when it is open.
 */
export function nextOpenLocal(
  schedule: WeeklySchedule,
  localMs: number,
  localLimitMs: number,
): number | null {
  const firstDay = Math.floor(localMs / MS_PER_DAY);
  const msOfDay = localMs - firstDay * MS_PER_DAY;
  for (let days = firstDay; days * MS_PER_DAY <= localLimitMs; days += 1) {
    for (const interval of intervalsOn(schedule, days)) {
      const start = interval.startMinute * MS_PER_MINUTE;
      if (days === firstDay) {
        if (msOfDay < interval.endMinute * MS_PER_MINUTE) {
          const candidate = days * MS_PER_DAY + Math.max(msOfDay, start);
          return candidate <= localLimitMs ? candidate : null;
        }
      } else {
        const candidate = days * MS_PER_DAY + start;
        return candidate <= localLimitMs ? candidate : null;
      }
    }
  }
  return null;
}

/**
 * When the open stretch that contains the local wall-clock time `localMs` ends (local epoch ms),
 * following an interval that ends at midnight into the next day's interval that starts at midnight;
 * null when `localMs` is not open. Looks at most `maxDays` local days ahead.
 */
export function openStretchEndLocal(schedule: WeeklySchedule, localMs: number, maxDays = 8): number | null {
  let at = localMs;
  for (let step = 0; step <= maxDays; step += 1) {
    const days = Math.floor(at / MS_PER_DAY);
    const msOfDay = at - days * MS_PER_DAY;
    const interval = intervalsOn(schedule, days).find(
      (candidate) =>
        msOfDay >= candidate.startMinute * MS_PER_MINUTE && msOfDay < candidate.endMinute * MS_PER_MINUTE,
    );
    if (interval === undefined) return step === 0 ? null : at;
    const end = days * MS_PER_DAY + interval.endMinute * MS_PER_MINUTE;
    if (interval.endMinute < MINUTES_PER_DAY) return end;
    at = end;
  }
  return at;
}

/** Open every minute of every day with no closed dates: the local time does not matter. */
export function isAlwaysOpen(schedule: WeeklySchedule): boolean {
  return (
    schedule.closedDates.size === 0 &&
    schedule.closedAnnualDates.size === 0 &&
    schedule.specialDates.size === 0 &&
    schedule.weekly.every(
      (intervals) =>
        intervals.length === 1 &&
        intervals[0]?.startMinute === 0 &&
        intervals[0]?.endMinute === MINUTES_PER_DAY,
    )
  );
}
