import fc from 'fast-check';
import { callbackEta, type CallbackEtaInput } from '../../../domain/callbacks';

const ny = 'America/New_York';
const madrid = 'Europe/Madrid';
const base = { averageCallbackMinutes: 15, locale: 'en' };
const eta = (input: Partial<CallbackEtaInput> & Pick<CallbackEtaInput, 'now' | 'dueAt'>) =>
  callbackEta({ timeZone: ny, ...base, ...input });

describe('callbackEta wording', () => {
  it.each<[string, Partial<CallbackEtaInput> & Pick<CallbackEtaInput, 'now' | 'dueAt'>, string, string]>([
    // due now: the agent queue is the wait, rounded up to 5 (≤ 30 min) or 10 minutes
    [
      'due now, 17 min queue',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T14:00:00Z', averageCallbackMinutes: 17 },
      'within about 20 minutes',
      'dentro de unos 20 minutos',
    ],
    [
      'due now, no queue',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T14:00:00Z', averageCallbackMinutes: 0 },
      'within about 5 minutes',
      'dentro de unos 5 minutos',
    ],
    [
      'due now, 41 min queue',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T13:00:00Z', averageCallbackMinutes: 41 },
      'within about 50 minutes',
      'dentro de unos 50 minutos',
    ],
    [
      'due in 40 min, 15 min queue',
      { now: '2025-03-12T11:20:00Z', dueAt: '2025-03-12T12:00:00Z' },
      'within about 60 minutes',
      'dentro de unos 60 minutos',
    ],
    [
      'due now, 2 h queue',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T14:00:00Z', averageCallbackMinutes: 120 },
      'in about 2 hours',
      'dentro de unas 2 horas',
    ],
    // later today, tomorrow, this week, further: the due time in the customer's zone
    [
      'later today',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T18:32:00Z' },
      'today from 14:35',
      'hoy a partir de las 14:35',
    ],
    [
      '20:50 New York → 08:00 next day',
      { now: '2025-03-11T00:50:00Z', dueAt: '2025-03-11T12:00:00Z' },
      'tomorrow from 08:00',
      'mañana a partir de las 08:00',
    ],
    [
      'Friday evening → Monday',
      { now: '2025-03-15T01:50:00Z', dueAt: '2025-03-17T12:00:00Z' },
      'on Monday from 08:00',
      'el lunes a partir de las 08:00',
    ],
    [
      'in two weeks',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-26T12:00:00Z' },
      'on 26 March from 08:00',
      'el 26 de marzo a partir de las 08:00',
    ],
    [
      '01:00 in Spanish takes "la"',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-13T05:00:00Z' },
      'tomorrow from 01:00',
      'mañana a partir de la 01:00',
    ],
    // no zone known: never a clock time in a zone we guessed
    [
      'no zone, due in 11 h',
      { now: '2025-03-12T01:00:00Z', dueAt: '2025-03-12T12:00:00Z', timeZone: undefined },
      'in about 12 hours',
      'dentro de unas 12 horas',
    ],
    [
      'no zone, due in 3 days',
      { now: '2025-03-12T01:00:00Z', dueAt: '2025-03-15T01:00:00Z', timeZone: undefined },
      'in about 4 days',
      'dentro de unos 4 días',
    ],
    [
      'an unknown zone',
      { now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T15:30:00Z', timeZone: 'Mars/Olympus' },
      'in about 2 hours',
      'dentro de unas 2 horas',
    ],
  ])('%s', (_name, input, english, spanish) => {
    expect(eta({ ...input, locale: 'en-US' }).text).toBe(english);
    expect(eta({ ...input, locale: 'es' }).text).toBe(spanish);
    expect(eta({ ...input, locale: 'es-MX' }).text).toBe(spanish);
  });

  it('promises the call by the end of the window its phrase names', () => {
    const now = '2025-03-12T14:00:00Z';
    expect(eta({ now, dueAt: now, averageCallbackMinutes: 17 }).promisedBy).toBe('2025-03-12T14:20:00.000Z');
    expect(eta({ now, dueAt: now, averageCallbackMinutes: 120 }).promisedBy).toBe('2025-03-12T16:00:00.000Z');
    expect(eta({ now, dueAt: now, timeZone: undefined, averageCallbackMinutes: 3_000 }).promisedBy).toBe(
      '2025-03-15T14:00:00.000Z',
    );
    // "tomorrow from 08:00" (EDT) is kept by a call within the hour after it.
    const clock = eta({ now: '2025-03-12T22:00:00Z', dueAt: '2025-03-13T12:00:00Z' });
    expect(clock.text).toBe('tomorrow from 08:00');
    expect(clock.promisedBy).toBe('2025-03-13T13:00:00.000Z');
  });

  it('reads any other language as English', () => {
    expect(eta({ now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T14:00:00Z', locale: 'fr' })).toMatchObject({
      locale: 'en',
      text: 'within about 15 minutes',
    });
  });

  it('refuses a negative average queue time', () => {
    expect(() =>
      eta({ now: '2025-03-12T14:00:00Z', dueAt: '2025-03-12T14:00:00Z', averageCallbackMinutes: -1 }),
    ).toThrow(RangeError);
  });
});

describe('callbackEta across midnight and on DST nights', () => {
  it.each<[string, string, string, string, string]>([
    [
      '23:50 Madrid, due 00:20',
      '2025-06-10T21:50:00Z',
      '2025-06-10T22:20:00Z',
      madrid,
      'within about 50 minutes',
    ],
    [
      '22:30 Madrid, due 00:03',
      '2025-06-10T20:30:00Z',
      '2025-06-10T22:03:00Z',
      madrid,
      'tomorrow from 00:05',
    ],
    [
      '22:00 Madrid, due 23:58 rounds into tomorrow',
      '2025-06-10T20:00:00Z',
      '2025-06-10T21:58:00Z',
      madrid,
      'tomorrow from 00:00',
    ],
    // New York springs forward 2025-03-09 02:00 EST → 03:00 EDT
    [
      'spring forward: due 01:58 EST names 03:00 EDT',
      '2025-03-09T05:30:00Z',
      '2025-03-09T06:58:00Z',
      ny,
      'today from 03:00',
    ],
    [
      'spring forward: 20:50 Saturday → 08:00 EDT Sunday',
      '2025-03-09T01:50:00Z',
      '2025-03-09T12:00:00Z',
      ny,
      'tomorrow from 08:00',
    ],
    // New York falls back 2025-11-02 02:00 EDT → 01:00 EST
    [
      'fall back: due 01:58 EDT is not called "01:00"',
      '2025-11-02T04:30:00Z',
      '2025-11-02T05:58:00Z',
      ny,
      'today from 02:00',
    ],
    ['fall back: due 01:30 EST', '2025-11-02T04:30:00Z', '2025-11-02T06:30:00Z', ny, 'today from 01:30'],
    [
      'fall back: 20:50 Saturday → 08:00 EST Sunday',
      '2025-11-02T00:50:00Z',
      '2025-11-02T13:00:00Z',
      ny,
      'tomorrow from 08:00',
    ],
    // Madrid: 2025-03-30 02:00 CET → 03:00 CEST, 2025-10-26 03:00 CEST → 02:00 CET
    [
      'Madrid spring forward: due 02:00 CET does not exist, named 03:00',
      '2025-03-29T21:00:00Z',
      '2025-03-30T01:00:00Z',
      madrid,
      'tomorrow from 03:00',
    ],
    [
      'Madrid fall back: due 02:57 CEST',
      '2025-10-25T21:00:00Z',
      '2025-10-26T00:57:00Z',
      madrid,
      'tomorrow from 03:00',
    ],
  ])('%s', (_name, now, dueAt, timeZone, text) => {
    expect(callbackEta({ now, dueAt, timeZone, averageCallbackMinutes: 20, locale: 'en' }).text).toBe(text);
  });
});

// An oracle that reads local time its own way (en-CA gives YYYY-MM-DD, HH:MM), for the property below.
const oracleFormatters = new Map<string, Intl.DateTimeFormat>();
function localWall(epochMs: number, timeZone: string): { date: string; minutes: number } {
  let formatter = oracleFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    oracleFormatters.set(timeZone, formatter);
  }
  const match = /^(\d{4}-\d{2}-\d{2}), (\d{2}):(\d{2})$/.exec(formatter.format(epochMs));
  if (match === null) throw new Error(`unexpected en-CA output ${formatter.format(epochMs)}`);
  return { date: match[1] as string, minutes: (Number(match[2]) % 24) * 60 + Number(match[3]) };
}

const DAY_MS = 86_400_000;
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The local calendar date a clock phrase names, as YYYY-MM-DD, counted from `now`'s local date. */
function namedDate(text: string, nowDate: string): string {
  const nowDay = Date.parse(`${nowDate}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (text.startsWith('today')) return nowDate;
  if (text.startsWith('tomorrow')) return iso(nowDay + DAY_MS);
  const weekday = /^on (\w+day) /.exec(text);
  if (weekday !== null) {
    for (let days = 2; days < 7; days += 1) {
      if (WEEKDAYS_EN[new Date(nowDay + days * DAY_MS).getUTCDay()] === weekday[1])
        return iso(nowDay + days * DAY_MS);
    }
  }
  const date = /^on (\d+) (\w+) /.exec(text);
  if (date !== null) {
    for (let days = 7; days < 400; days += 1) {
      const candidate = new Date(nowDay + days * DAY_MS);
      if (candidate.getUTCDate() === Number(date[1]) && MONTHS_EN[candidate.getUTCMonth()] === date[2]) {
        return iso(candidate.getTime());
      }
    }
  }
  throw new Error(`no date in "${text}"`);
}

const zones = [
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/Madrid',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Auckland',
  'UTC',
];
const minuteMs = 60_000;
// Instants near DST changes are where a wrong clock time would hide: aim a third of them there.
const dstNights = [
  Date.UTC(2025, 2, 9, 7),
  Date.UTC(2025, 10, 2, 6),
  Date.UTC(2025, 2, 30, 1),
  Date.UTC(2025, 9, 26, 1),
  Date.UTC(2025, 3, 6, 3),
  Date.UTC(2025, 8, 28, 14),
];
const nowArb = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
  fc
    .integer({ min: 0, max: dstNights.length - 1 })
    .chain((i) =>
      fc
        .integer({ min: -36 * 60, max: 12 * 60 })
        .map((minutes) => (dstNights[i] as number) + minutes * minuteMs),
    ),
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
);

describe('callbackEta, for any now, due instant, zone and queue time', () => {
  it('never names a time earlier than the due instant, read in the customer’s zone', () => {
    fc.assert(
      fc.property(
        nowArb,
        fc.oneof(fc.integer({ min: -600, max: 24 * 60 }), fc.integer({ min: 0, max: 20 * 24 * 60 })),
        fc.option(fc.constantFrom(...zones), { nil: undefined }),
        fc.integer({ min: 0, max: 240 }),
        (nowMs, dueInMinutes, timeZone, averageCallbackMinutes) => {
          const now = new Date(nowMs).toISOString();
          const dueMs = nowMs + dueInMinutes * minuteMs;
          const result = callbackEta({
            now,
            dueAt: new Date(dueMs).toISOString(),
            timeZone,
            averageCallbackMinutes,
            locale: 'en',
          });
          const waitMs = Math.max(0, dueMs - nowMs);
          const amount = /about (\d+|an) (minute|hour|day)s?$/.exec(result.text);
          if (amount !== null) {
            const unit = { minute: minuteMs, hour: 60 * minuteMs, day: DAY_MS }[
              amount[2] as 'minute' | 'hour' | 'day'
            ];
            const value = amount[1] === 'an' ? 1 : Number(amount[1]);
            return value * unit >= waitMs + averageCallbackMinutes * minuteMs;
          }
          if (timeZone === undefined) return false;
          const time = /(\d{2}):(\d{2})$/.exec(result.text);
          if (time === null) return false;
          const named = {
            date: namedDate(result.text, localWall(nowMs, timeZone).date),
            minutes: Number(time[1]) * 60 + Number(time[2]),
          };
          const due = localWall(Math.max(dueMs, nowMs), timeZone);
          const notBefore = localWall(Date.parse(result.notBefore), timeZone);
          return (
            Date.parse(result.notBefore) >= dueMs &&
            named.date === notBefore.date &&
            named.minutes === notBefore.minutes &&
            (named.date > due.date || (named.date === due.date && named.minutes >= due.minutes))
          );
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('says the same thing in Spanish, with the same numbers', () => {
    fc.assert(
      fc.property(
        nowArb,
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 240 }),
        (nowMs, dueIn, timeZone, avg) => {
          const input = {
            now: new Date(nowMs).toISOString(),
            dueAt: new Date(nowMs + dueIn * minuteMs).toISOString(),
            timeZone,
            averageCallbackMinutes: avg,
          };
          const en = callbackEta({ ...input, locale: 'en' });
          const es = callbackEta({ ...input, locale: 'es' });
          const numbers = (text: string) => text.match(/\d+/g) ?? [];
          return (
            en.kind === es.kind &&
            en.notBefore === es.notBefore &&
            numbers(en.text).join() === numbers(es.text).join()
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
