import { types } from 'node:util';

/**
 * What may reach a log line: no phone number, e-mail address, token or link signature. Applied to
 * every string the API's and the SDK's loggers write, whatever said it (a failure message naming a
 * recipient, a request URL with a signature in its query).
 */

// E.164 (what Recontact stores and sends), also URL-encoded (%2B) in query strings.
const PHONE = /(?:\+|%2B)[1-9]\d{6,14}(?!\d)/gi;
const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Query parameters that carry a secret: reminder-link signatures, tokens, keys.
const SECRET_PARAM = /([?&](?:sig|signature|token|access_token|key|secret)=)[^&#\s]*/gi;
// The API token in a codec endpoint URL (/codec/<token>/decode, the form the Web UI can send).
const CODEC_PATH_TOKEN = /(\/codec\/)[^/?#\s]+(?=\/(?:en|de)code\b)/g;

export const REDACTED = {
  phone: '[phone]',
  email: '[email]',
  secret: '[redacted]',
} as const;

/** The text with phone numbers, e-mail addresses, credentials and secret query values replaced. */
export function redactText(text: string): string {
  return text
    .replace(SECRET_PARAM, `$1${REDACTED.secret}`)
    .replace(CODEC_PATH_TOKEN, `$1${REDACTED.secret}`)
    .replace(BEARER, `$1 ${REDACTED.secret}`)
    .replace(EMAIL, REDACTED.email)
    .replace(PHONE, REDACTED.phone);
}

/** Header and field names whose whole value is a secret, whatever it looks like. */
const SECRET_KEYS =
  /^(authorization|cookie|set-cookie|x-twilio-signature|password|token|sig|signature|secret)$/i;

/**
 * A copy of a log argument with every string redacted: walks plain objects, arrays and errors
 * (message, stack, cause), and leaves other objects (a Fastify request, a socket) to the logger's
 * serializers. Never changes the value handed in.
 */
export function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redactLogValue(item, depth + 1));
  // Errors and plain objects from any realm: a workflow's failure comes from its own V8 context.
  if (types.isNativeError(value)) return redactError(value, depth);
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== null && Object.getPrototypeOf(prototype) !== null) return value;
  const copy: Record<string | symbol, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      SECRET_KEYS.test(key) && item !== undefined ? REDACTED.secret : redactLogValue(item, depth + 1);
  }
  // The SDK keeps its own markers (a log's source, its timestamp) under symbols: pass them on.
  for (const key of Object.getOwnPropertySymbols(value)) copy[key] = (value as Record<symbol, unknown>)[key];
  return copy;
}

function redactError(error: Error, depth: number): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(error)) fields[key] = redactLogValue(item, depth + 1);
  return {
    ...fields,
    type: error.name,
    message: redactText(error.message),
    ...(error.stack !== undefined ? { stack: redactText(error.stack) } : {}),
    ...(error.cause !== undefined ? { cause: redactLogValue(error.cause, depth + 1) } : {}),
  };
}
