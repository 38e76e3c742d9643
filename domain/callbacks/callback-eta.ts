import type { DateTime } from 'luxon';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../policy/civil-date';
import { calendarDaysBetween, inZone, wallClock } from '../policy/local-time';
import { isKnownTimeZone } from '../policy/zone-offset';
import { toEpochMs, toInstant } from '../policy/vocabulary';

/** Locales the acknowledgement is written in; `es-MX` reads as `es`, anything else as `en`. */
export type EtaLocale = 'en' | 'es';

/**
 * - `minutes`: "within about 20 minutes" — due now or soon, the queue is the wait.
 * - `hours`, `days`: "in about 3 hours" — no clock time (no zone known, or the queue itself is long).
 * - `today`, `tomorrow`, `weekday`, `date`: "tomorrow from 09:00" — the customer's local time.
 */
export type EtaKind = 'minutes' | 'hours' | 'days' | 'today' | 'tomorrow' | 'weekday' | 'date';

export interface CallbackEtaInput {
  /** When the acknowledgement is written (workflow time). ISO instant. */
  now: string;
  /** The earliest instant the callback may be made: the policy's `until` for `not-yet`, else `now`. */
  dueAt: string;
  /** The customer's IANA zone; undefined (or unknown to the zone data) → no clock time is named. */
  timeZone: string | undefined;
  /** Average minutes from becoming due to the callback (the agent queue), e.g. from recent KPIs. */
  averageCallbackMinutes: number;
  /** The customer's language, e.g. `es`, `es-MX`, `en-GB`. */
  locale: string;
}

export interface CallbackEta {
  /** A phrase to put into the acknowledgement: "We'll call you back {{eta}}." */
  text: string;
  kind: EtaKind;
  locale: EtaLocale;
  /** The instant a clock-time phrase names (the due instant rounded up); for the others, the due instant. */
  notBefore: string;
  /**
   * The latest instant the phrase promises the call by, for punctuality (docs/kpi.md): "within about
   * 20 minutes" → now + 20 min, "in about 3 hours" → now + 3 h, "in about 2 days" → now + 2 days, a
   * clock time "from 09:00" → 09:00 + CLOCK_PROMISE_MINUTES.
   */
  promisedBy: string;
}

/** A clock-time promise ("tomorrow from 09:00") is kept by a call within this many minutes of it. */
export const CLOCK_PROMISE_MINUTES = 60;

/** Up to this many minutes we say "within about N minutes". */
const MINUTES_PHRASE_LIMIT = 90;
/** A due instant closer than this is "the queue is the wait": a clock time would promise too early a call. */
const CLOCK_TIME_AFTER_MINUTES = 60;
/** Without a zone, say hours up to this many, then days. */
const HOURS_PHRASE_LIMIT = 36;
/**
 * Clock times are rounded up to 5-minute marks. Every zone in use today is offset from UTC by a
 * multiple of 15 minutes, so a 5-minute mark in UTC is one in local time, on DST nights too.
 */
const CLOCK_STEP_MS = 5 * MS_PER_MINUTE;

function etaLocale(locale: string): EtaLocale {
  return locale.trim().toLowerCase().split(/[-_]/)[0] === 'es' ? 'es' : 'en';
}

/** 5-minute steps up to half an hour, then 10: "about 20", "about 50", never "about 47". */
function roundMinutesUp(minutes: number): number {
  const step = minutes <= 30 ? 5 : 10;
  return Math.max(5, Math.ceil(minutes / step) * step);
}

/** Whole minutes of the wall clock in `timeZone` (local epoch): comparable across an offset change. */
function wallClockMinutes(epochMs: number, timeZone: string): number {
  return Math.floor(wallClock(epochMs, timeZone).toMillis() / MS_PER_MINUTE);
}

/**
 * The first 5-minute mark at or after `dueMs` whose local wall-clock time is not earlier than the due
 * instant's. On a fall-back night 01:58 EDT rounds to 02:00 EST, not to 01:00 EST — which is later in
 * fact but reads as an hour earlier.
 */
function clockTimeAtOrAfter(dueMs: number, timeZone: string): number {
  const dueWall = wallClockMinutes(dueMs, timeZone);
  let candidate = Math.ceil(dueMs / CLOCK_STEP_MS) * CLOCK_STEP_MS;
  // A clock goes back by at most an hour (or so): a few dozen steps always suffice.
  for (let step = 0; step < 48 && wallClockMinutes(candidate, timeZone) < dueWall; step += 1) {
    candidate += CLOCK_STEP_MS;
  }
  return candidate;
}

function minutesPhrase(minutes: number, locale: EtaLocale): string {
  return locale === 'es' ? `dentro de unos ${minutes} minutos` : `within about ${minutes} minutes`;
}

function hoursPhrase(hours: number, locale: EtaLocale): string {
  // Never 1: up to 90 minutes the minutes phrase is used.
  return locale === 'es' ? `dentro de unas ${hours} horas` : `in about ${hours} hours`;
}

function daysPhrase(days: number, locale: EtaLocale): string {
  return locale === 'es' ? `dentro de unos ${days} días` : `in about ${days} days`;
}

function clockPhrase(
  nowMs: number,
  notBeforeMs: number,
  timeZone: string,
  locale: EtaLocale,
): { text: string; kind: EtaKind } {
  const at: DateTime = inZone(notBeforeMs, timeZone).setLocale(locale);
  const time = at.toFormat('HH:mm');
  const from = locale === 'es' ? `a partir de ${at.hour === 1 ? 'la' : 'las'} ${time}` : `from ${time}`;
  const daysAhead = calendarDaysBetween(inZone(nowMs, timeZone), at);
  if (daysAhead <= 0) return { text: locale === 'es' ? `hoy ${from}` : `today ${from}`, kind: 'today' };
  if (daysAhead === 1)
    return { text: locale === 'es' ? `mañana ${from}` : `tomorrow ${from}`, kind: 'tomorrow' };
  if (daysAhead < 7) {
    const weekday = at.weekdayLong as string;
    return { text: locale === 'es' ? `el ${weekday} ${from}` : `on ${weekday} ${from}`, kind: 'weekday' };
  }
  const dayOfMonth = at.day;
  const month = at.monthLong as string;
  return {
    text: locale === 'es' ? `el ${dayOfMonth} de ${month} ${from}` : `on ${dayOfMonth} ${month} ${from}`,
    kind: 'date',
  };
}

/**
 * An honest estimate of when the customer will be called back, for the acknowledgement SMS. Never
 * names a time before `dueAt`: clock times are the due instant rounded up, durations are rounded up.
 *
 * @example
 * callbackEta({ now: '2025-03-10T20:50:00-04:00', dueAt: '2025-03-11T08:00:00-04:00',
 *   timeZone: 'America/New_York', averageCallbackMinutes: 15, locale: 'es' }).text
 * // 'mañana a partir de las 08:00'
 */
export function callbackEta(input: CallbackEtaInput): CallbackEta {
  if (!Number.isFinite(input.averageCallbackMinutes) || input.averageCallbackMinutes < 0) {
    throw new RangeError(
      `averageCallbackMinutes must be a finite number ≥ 0, got ${input.averageCallbackMinutes}`,
    );
  }
  const locale = etaLocale(input.locale);
  const nowMs = toEpochMs(input.now);
  const dueMs = Math.max(toEpochMs(input.dueAt), nowMs);
  if (!Number.isFinite(nowMs) || !Number.isFinite(dueMs)) {
    throw new RangeError(`now and dueAt must be ISO instants, got ${input.now} and ${input.dueAt}`);
  }
  const waitMs = dueMs - nowMs;
  const expectedMs = waitMs + input.averageCallbackMinutes * MS_PER_MINUTE;
  const timeZone =
    input.timeZone !== undefined && isKnownTimeZone(input.timeZone) ? input.timeZone : undefined;
  const notBefore = toInstant(dueMs);

  if (expectedMs <= MINUTES_PHRASE_LIMIT * MS_PER_MINUTE) {
    const minutes = roundMinutesUp(expectedMs / MS_PER_MINUTE);
    const promisedBy = toInstant(nowMs + minutes * MS_PER_MINUTE);
    return { text: minutesPhrase(minutes, locale), kind: 'minutes', locale, notBefore, promisedBy };
  }
  if (timeZone !== undefined && waitMs > CLOCK_TIME_AFTER_MINUTES * MS_PER_MINUTE) {
    const notBeforeMs = clockTimeAtOrAfter(dueMs, timeZone);
    return {
      ...clockPhrase(nowMs, notBeforeMs, timeZone, locale),
      locale,
      notBefore: toInstant(notBeforeMs),
      promisedBy: toInstant(notBeforeMs + CLOCK_PROMISE_MINUTES * MS_PER_MINUTE),
    };
  }
  const hours = Math.ceil(expectedMs / MS_PER_HOUR);
  if (hours <= HOURS_PHRASE_LIMIT) {
    const promisedBy = toInstant(nowMs + hours * MS_PER_HOUR);
    return { text: hoursPhrase(hours, locale), kind: 'hours', locale, notBefore, promisedBy };
  }
  const days = Math.ceil(expectedMs / MS_PER_DAY);
  const promisedBy = toInstant(nowMs + days * MS_PER_DAY);
  return { text: daysPhrase(days, locale), kind: 'days', locale, notBefore, promisedBy };
}
