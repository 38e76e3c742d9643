/** RFC 2822 in GMT as Twilio writes it: `Thu, 24 Aug 2023 05:01:45 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Twilio's `RawDlrDoneDate`: the carrier's done date as `YYMMDDhhmm` in UTC. */
export function rawDlrDoneDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * A list filter's date as Twilio accepts it: `YYYY-MM-DD` (GMT, a whole day) or an ISO 8601
 * date-time (what the `twilio` library sends for a `Date`). Undefined when it is neither.
 */
export function parseFilterDate(value: string): { at: number; wholeDay: boolean } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const at = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(at) ? undefined : { at, wholeDay: true };
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : { at, wholeDay: false };
}

const DAY_MS = 86_400_000;

/**
 * Whether `time` passes Twilio's date filter: `=` the same GMT day (or second), `>` on or after,
 * `<` on or before.
 */
export function matchesDateFilter(
  time: number,
  op: '=' | '>' | '<',
  filter: { at: number; wholeDay: boolean },
): boolean {
  if (op === '>') return time >= filter.at;
  if (op === '<') return time <= (filter.wholeDay ? filter.at + DAY_MS - 1 : filter.at + 999);
  return filter.wholeDay
    ? time >= filter.at && time < filter.at + DAY_MS
    : Math.floor(time / 1000) === Math.floor(filter.at / 1000);
}
