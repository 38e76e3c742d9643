/**
 * What a customer's SMS reply to a callback message asks for. The words are the ones the
 * acknowledgement and the "we missed you" texts offer (domain/templates), in English and Spanish.
 * Carrier opt-out words (STOP, CANCEL, …) never reach here: the SMS webhook handles them first.
 */
export type CallbackReply =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'call-me' }
  /** Call later: at the next occurrence of this local time, or after the default postponement. */
  | { readonly kind: 'later'; readonly localTime?: { readonly hour: number; readonly minute: number } }
  | { readonly kind: 'unknown' };

const cancelWords = new Set(['NO', 'NO THANKS', 'NO GRACIAS', 'NOT NEEDED', 'YA NO']);
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
 * Reads a reply, case- and punctuation-insensitively.
 *
 * @example
 * parseCallbackReply('later 16:30') // { kind: 'later', localTime: { hour: 16, minute: 30 } }
 * parseCallbackReply('1')           // { kind: 'call-me' }
 */
export function parseCallbackReply(body: string): CallbackReply {
  const text = body
    .trim()
    .replace(/[.!¡?¿]+$/u, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
  if (cancelWords.has(text)) return { kind: 'cancel' };
  if (callMeWords.has(text)) return { kind: 'call-me' };
  for (const word of laterWords) {
    if (text === word) return { kind: 'later' };
    if (text.startsWith(`${word} `)) {
      const rest = text.slice(word.length + 1).replace(/^(AT|A LAS|A LA) /, '');
      const localTime = parseLocalTime(rest);
      return localTime === undefined ? { kind: 'later' } : { kind: 'later', localTime };
    }
  }
  const localTime = parseLocalTime(text);
  if (localTime !== undefined) return { kind: 'later', localTime };
  return { kind: 'unknown' };
}
