import { normaliseReply, normaliseReplyBeforePatch } from '../replies/normalise-reply';

/**
 * What a customer's SMS reply to a callback message asks for. The words are the ones the
 * acknowledgement and the "we missed you" texts offer (domain/templates), in English and Spanish.
 * Carrier opt-out words (STOP, CANCEL, …) never reach here: the SMS webhook handles them first.
 */
export type CallbackReply =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'call-me' }
  /**
   * Call later: at the next occurrence of this local time — in `timeZone` when the customer named
   * one ("4pm PT"), else in the customer's own zone — or `inMinutes` from now ("LATER 2 HOURS"), or
   * after the default postponement when neither is given.
   */
  | {
      readonly kind: 'later';
      readonly localTime?: { readonly hour: number; readonly minute: number };
      readonly timeZone?: string;
      readonly inMinutes?: number;
    }
  | { readonly kind: 'unknown' };

export interface ParseCallbackReplyOptions {
  /**
   * Read a named zone ("4pm ET") and a delay ("LATER 2 HOURS") too. Off only for runs that
   * started before these were read (their replay must see the old reading).
   * @default true
   */
  readonly zonesAndDelays?: boolean;
  /** Read as runs started before patched('one-reply-normaliser') did (their replay). @default false */
  readonly beforeOneNormaliser?: boolean;
}

const cancelWords = new Set(['NO', 'NO THANKS', 'NO GRACIAS', 'NOT NEEDED', 'YA NO']);
// 'SÍ' and 'MÁS TARDE' for runs that read replies before the one normaliser (accents kept).
const callMeWords = new Set(['1', 'CALL', 'CALL ME', 'LLAMAR', 'LLAMADME', 'LLAMEME', 'YES', 'SI', 'SÍ']);
const laterWords = ['LATER', 'LUEGO', 'MAS TARDE', 'MÁS TARDE'];

/** `16:30`, `16.30`, `16h`, `4pm`, `4:30 pm`, `16h30`. */
const timePattern = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(h|am|pm)?$/;

function parseLocalTime(text: string): { hour: number; minute: number } | undefined {
  const match = timePattern.exec(text.trim().toLowerCase());
  if (match === null) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const suffix = match[3];
  // A bare number is an hour only with a suffix: "2" alone is not a time.
  if (match[2] === undefined && suffix === undefined) return undefined;
  if (suffix === 'am' || suffix === 'pm') {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

/**
 * Zones a customer may name after a time, as North Americans write them: the only place where one
 * number can be in several zones and the customer can easily say which. Standard and daylight
 * spellings mean the zone's time that day, whichever is in force.
 */
const namedZones: Readonly<Record<string, string>> = {
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  EASTERN: 'America/New_York',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CENTRAL: 'America/Chicago',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MOUNTAIN: 'America/Denver',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PACIFIC: 'America/Los_Angeles',
  AKT: 'America/Anchorage',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HT: 'Pacific/Honolulu',
  HST: 'Pacific/Honolulu',
  AT: 'America/Halifax',
  AST: 'America/Puerto_Rico',
  ADT: 'America/Halifax',
};

/** `4pm ET`, `16:30 pacific`: a time and the zone it is in. */
function parseZonedTime(
  text: string,
): { localTime: { hour: number; minute: number }; timeZone: string } | undefined {
  const match = /^(.+?)\s+([A-Z]+)$/.exec(text);
  if (match === null) return undefined;
  const timeZone = namedZones[match[2] ?? ''];
  const localTime = parseLocalTime(match[1] ?? '');
  return timeZone === undefined || localTime === undefined ? undefined : { localTime, timeZone };
}

/** `2 HOURS`, `IN 90 MIN`, `1 HORA`, `30 MINUTOS`: a delay, up to a day (`2h` is 02:00, a time). */
function parseDelayMinutes(text: string): number | undefined {
  const match = /^(?:IN |EN )?(\d{1,4})\s*(HOURS?|HRS?|HORAS?|MINUTES?|MINS?|MINUTOS?)$/.exec(text);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const minutes = /^H/.test(match[2] ?? '') ? amount * 60 : amount;
  return minutes >= 1 && minutes <= 24 * 60 ? minutes : undefined;
}

/**
 * Reads a reply, normalised (case, accents and punctuation ignored; domain/replies/normalise-reply.ts).
 *
 * @example
 * parseCallbackReply('later 16:30') // { kind: 'later', localTime: { hour: 16, minute: 30 } }
 * parseCallbackReply('1')           // { kind: 'call-me' }
 */
export function parseCallbackReply(body: string, options: ParseCallbackReplyOptions = {}): CallbackReply {
  const extended = options.zonesAndDelays ?? true;
  const text = options.beforeOneNormaliser
    ? normaliseReplyBeforePatch('callback', body)
    : normaliseReply(body);
  if (cancelWords.has(text)) return { kind: 'cancel' };
  if (callMeWords.has(text)) return { kind: 'call-me' };
  for (const word of laterWords) {
    if (text === word) return { kind: 'later' };
    if (text.startsWith(`${word} `)) {
      const rest = text.slice(word.length + 1).replace(/^(AT|A LAS|A LA) /, '');
      const localTime = parseLocalTime(rest);
      if (localTime !== undefined) return { kind: 'later', localTime };
      if (!extended) return { kind: 'later' };
      const inMinutes = parseDelayMinutes(rest);
      if (inMinutes !== undefined) return { kind: 'later', inMinutes };
      return { kind: 'later', ...parseZonedTime(rest) };
    }
  }
  const localTime = parseLocalTime(text);
  if (localTime !== undefined) return { kind: 'later', localTime };
  const zoned = extended ? parseZonedTime(text) : undefined;
  if (zoned !== undefined) return { kind: 'later', ...zoned };
  return { kind: 'unknown' };
}
