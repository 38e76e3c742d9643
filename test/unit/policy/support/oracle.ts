/**
 * An independent reading of the rules for the property tests: local date, weekday and time straight from
 * `Intl.DateTimeFormat` (weekday from ICU, not computed), windows and holidays read from the raw rule
 * objects. It shares no code with `domain/policy`, so a bug there cannot hide in both.
 */

export interface RawWindow {
  days: readonly string[];
  start: string;
  end: string;
}

export interface RawSchedule {
  windows: readonly RawWindow[];
  /** Closed all day: `YYYY-MM-DD` or every-year `MM-DD`. */
  closedDates: readonly string[];
  /** Dates with their own hours (centre special days). */
  specialDays?: readonly { date: string; hours: readonly { start: string; end: string }[] }[];
}

export interface WallClock {
  /** `YYYY-MM-DD` */
  date: string;
  weekday: string;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_NAMES: Record<string, string> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

// "Sat, 01/04/2025, 21:00": `format` is several times faster than `formatToParts` and as plain to read.
const EN_US = /^(\w{3}), (\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2})$/;

export function wallClock(epochMs: number, timeZone: string): WallClock {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const text = formatter.format(epochMs);
  const match = EN_US.exec(text);
  if (match === null) throw new Error(`unexpected local time "${text}" in ${timeZone}`);
  const [, weekday, month, day, year, hour, minute] = match as unknown as string[];
  return {
    date: `${year}-${month}-${day}`,
    weekday: WEEKDAY_NAMES[weekday as string] as string,
    minuteOfDay: Number(hour) * 60 + Number(minute),
  };
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function scheduleAllows(schedule: RawSchedule, wall: WallClock): boolean {
  const special = schedule.specialDays?.find((day) => day.date === wall.date);
  if (special !== undefined) {
    return special.hours.some(
      (range) => wall.minuteOfDay >= minutes(range.start) && wall.minuteOfDay < minutes(range.end),
    );
  }
  if (schedule.closedDates.some((date) => date === wall.date || date === wall.date.slice(5))) return false;
  return schedule.windows.some(
    (window) =>
      window.days.includes(wall.weekday) &&
      wall.minuteOfDay >= minutes(window.start) &&
      wall.minuteOfDay < minutes(window.end),
  );
}

export function allowsAt(schedule: RawSchedule, timeZone: string, epochMs: number): boolean {
  return scheduleAllows(schedule, wallClock(epochMs, timeZone));
}

/** UTC offset in minutes, the slow obvious way, to find DST transitions to test around. */
function offsetMinutes(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  const [year, month, day] = wall.date.split('-').map(Number) as [number, number, number];
  const local = Date.UTC(year, month - 1, day) / 60_000 + wall.minuteOfDay;
  return local - Math.floor(epochMs / 60_000);
}

const transitionCache = new Map<string, number[]>();

/**
 * Offset changes of `timeZone` in `year`, found by comparing month starts, then days, then bisecting
 * minutes. Two changes inside one month are missed; these are only places to aim tests at.
 */
export function transitionsIn(timeZone: string, year: number): number[] {
  const key = `${timeZone} ${year}`;
  const cached = transitionCache.get(key);
  if (cached !== undefined) return cached;
  const found: number[] = [];
  for (let month = 0; month < 12; month += 1) {
    const from = Date.UTC(year, month, 1);
    const to = Date.UTC(year, month + 1, 1);
    if (offsetMinutes(from, timeZone) === offsetMinutes(to, timeZone)) continue;
    for (let day = from; day < to; day += 86_400_000) {
      const before = offsetMinutes(day, timeZone);
      if (before === offsetMinutes(day + 86_400_000, timeZone)) continue;
      let low = day / 60_000;
      let high = low + 1_440;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetMinutes(middle * 60_000, timeZone) === before) low = middle;
        else high = middle;
      }
      found.push(high * 60_000);
      break;
    }
  }
  transitionCache.set(key, found);
  return found;
}
