import { MS_PER_DAY, MS_PER_SECOND } from './civil-date';

/**
 * UTC offsets of IANA zones, read from `Intl.DateTimeFormat` (present in V8 and in the Temporal workflow
 * sandbox). No clock: every answer is a function of (instant, zone) and the ICU zone data.
 *
 * A hand-written fast path: the calling windows probe offsets many times per contact decision, and
 * this reader is ~5× faster than luxon's `IANAZone.offset` (which uses `formatToParts`); with luxon's,
 * a decision took about twice as long (`npm run bench -- --only zones`, docs/zone-arithmetic.md). Everything
 * else that reads a zone's calendar uses luxon (`local-time.ts`). `isKnownTimeZone` also serves the
 * schemas that workflow code parses its input with, and the workflow bundle carries no luxon.
 */

// Building a formatter costs ~50 µs, using one ~1 µs: keep one per zone. Zones are few (~600 names).
const MAX_CACHED_FORMATTERS = 2_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime's zone data knows `timeZone` (IANA name or alias). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// `format` is ~4x faster than `formatToParts`; en-US numeric output is fixed: "1/6/2025, 21:00:00".
// Read its six numbers by hand: a regex and array allocation would double the cost of an offset.
const fields = [0, 0, 0, 0, 0, 0];

function readSixNumbers(text: string): boolean {
  let count = 0;
  let value = 0;
  let inNumber = false;
  for (let i = 0; i < text.length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit >= 0 && digit <= 9) {
      value = value * 10 + digit;
      inNumber = true;
    } else if (inNumber) {
      if (count === 6) return false;
      fields[count++] = value;
      value = 0;
      inNumber = false;
    }
  }
  if (inNumber && count < 6) fields[count++] = value;
  return count === 6;
}

/** Earliest and latest instants the engine answers for: years 1000..9999 keep en-US output unambiguous. */
export const EARLIEST_SUPPORTED_MS = Date.UTC(1000, 0, 1);
export const LATEST_SUPPORTED_MS = Date.UTC(9999, 11, 31);

/**
 * Milliseconds to add to `epochMs` to get the wall-clock time in `timeZone` read as UTC
 * (e.g. +3_600_000 in Europe/Madrid in winter).
 */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  if (!(epochMs >= EARLIEST_SUPPORTED_MS && epochMs <= LATEST_SUPPORTED_MS)) {
    throw new RangeError(`instant ${epochMs} is outside the years 1000..9999 the contact policy supports`);
  }
  const text = formatterFor(timeZone).format(epochMs);
  if (!readSixNumbers(text)) throw new RangeError(`unexpected local time format "${text}" for ${timeZone}`);
  const [month, day, year, hour, minute, second] = fields as [number, number, number, number, number, number];
  // Years are 1000..9999 here, out of reach of Date.UTC's two-digit-year rule.
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  // Intl truncates to whole seconds; compare against the instant truncated the same way.
  return local - Math.floor(epochMs / MS_PER_SECOND) * MS_PER_SECOND;
}

/**
 * How far apart offset probes may be. Across every zone in ICU 2025c, 1980–2040, two transitions of one zone
 * are never closer than 6.9 days (America/Boa_Vista, October 2000), so probing once a day cannot step over
 * a change and its reversal.
 */
export const OFFSET_PROBE_MS = MS_PER_DAY;

/**
 * The first instant in (`fromMs`, `toMs`] whose offset differs from `offsetAtFrom`, or null when the offset
 * holds over the whole span.
 */
export function nextOffsetChange(
  fromMs: number,
  toMs: number,
  timeZone: string,
  offsetAtFrom: number,
): number | null {
  let before = fromMs;
  while (before < toMs) {
    const probe = Math.min(before + OFFSET_PROBE_MS, toMs);
    if (zoneOffsetMs(probe, timeZone) !== offsetAtFrom) {
      // Exactly one change lies in (before, probe]. Offsets only differ per whole second, so bisect seconds.
      let low = Math.floor(before / MS_PER_SECOND);
      let high = Math.floor(probe / MS_PER_SECOND);
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (zoneOffsetMs(middle * MS_PER_SECOND, timeZone) === offsetAtFrom) low = middle;
        else high = middle;
      }
      return high * MS_PER_SECOND;
    }
    before = probe;
  }
  return null;
}
