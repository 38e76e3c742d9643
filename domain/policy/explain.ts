import { WEEKDAYS } from './civil-date';
import { inZone } from './local-time';
import type { WeeklyWindow } from './rules-schema';

/** Human sentences for decisions. English only for now: they are for agents and admins, not customers. */

const DAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** `Saturday 2025-01-04 21:00 Europe/Madrid` */
export function describeLocalTime(epochMs: number, timeZone: string): string {
  return `${inZone(epochMs, timeZone).setLocale('en').toFormat('cccc yyyy-MM-dd HH:mm')} ${timeZone}`;
}

function describeDays(days: readonly string[]): string {
  const indexes = [...new Set(days.map((day) => WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number])))].sort(
    (a, b) => a - b,
  );
  if (indexes.length === 7) return 'every day';
  const runs: string[] = [];
  let runStart = indexes[0] as number;
  for (let i = 1; i <= indexes.length; i += 1) {
    const previous = indexes[i - 1] as number;
    const current = indexes[i];
    if (current === previous + 1) continue;
    runs.push(
      previous - runStart >= 2
        ? `${DAY_SHORT[runStart]}–${DAY_SHORT[previous]}`
        : DAY_SHORT.slice(runStart, previous + 1).join(', '),
    );
    if (current !== undefined) runStart = current;
  }
  return runs.join(', ');
}

/** `Mon–Fri 10:00–13:00, 14:00–20:00; closed on public holidays` */
export function describeWindows(windows: readonly WeeklyWindow[], closedOnHolidays: boolean): string {
  if (windows.length === 0) return 'never';
  const byDays = new Map<string, string[]>();
  for (const window of windows) {
    const key = describeDays(window.days);
    byDays.set(key, [...(byDays.get(key) ?? []), `${window.start}–${window.end}`]);
  }
  const text = [...byDays].map(([days, ranges]) => `${days} ${ranges.join(', ')}`).join('; ');
  return closedOnHolidays ? `${text}; closed on public holidays` : text;
}
