import { TwilioApiError } from './twilio-errors';

/**
 * Twilio's test-credential magic numbers (https://www.twilio.com/docs/iam/test-credentials),
 * answered the way Twilio answers them: an API error at create time, nothing sent.
 */
export const MAGIC_VALID_FROM = '+15005550006';

interface MagicError {
  code: number;
  message: (number: string) => string;
}

/** SMS `From`: +15005550006 is valid; these fail; any other number fails with 21606. */
export const smsFromMagic: Readonly<Record<string, MagicError>> = {
  '+15005550001': {
    code: 21212,
    message: (n) =>
      `The 'From' number ${n} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
  },
  '+15005550007': {
    code: 21606,
    message: (n) => `The 'From' phone number ${n} is not owned by your account or is not SMS-capable.`,
  },
  '+15005550008': {
    code: 21611,
    message: () => "This 'From' number has exceeded the maximum number of queued messages.",
  },
};

/** SMS `To`: these fail; any other valid number is accepted. */
export const smsToMagic: Readonly<Record<string, MagicError>> = {
  '+15005550001': { code: 21211, message: (n) => `The 'To' number ${n} is not a valid phone number.` },
  '+15005550002': {
    code: 21612,
    message: (n) => `The 'To' phone number ${n} is not currently reachable via SMS.`,
  },
  '+15005550003': {
    code: 21408,
    message: (n) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${n}.`,
  },
  '+15005550004': { code: 21610, message: () => 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: (n) => `'To' number ${n} is not a valid mobile number` },
};

/** Call `From`: +15005550006 is valid; +15005550001 is invalid; any other number fails with 21210. */
export const callFromMagic: Readonly<Record<string, MagicError>> = {
  '+15005550001': { code: 21212, message: (n) => `The 'From' number ${n} is not a valid phone number.` },
};

/** Call `To`: these fail; any other valid number is dialled. */
export const callToMagic: Readonly<Record<string, MagicError>> = {
  '+15005550001': { code: 21217, message: (n) => `Phone number ${n} does not appear to be valid.` },
  '+15005550002': { code: 21214, message: (n) => `'To' phone number ${n} cannot be reached.` },
  '+15005550003': {
    code: 21215,
    message: (n) =>
      `Account not authorized to call ${n}. Perhaps you need to enable some international permissions.`,
  },
  '+15005550004': { code: 21216, message: (n) => `Account not allowed to call ${n}: blocked.` },
};

const E164 = /^\+[1-9]\d{6,14}$/;

function fail(table: Readonly<Record<string, MagicError>>, number: string): void {
  const magic = table[number];
  if (magic !== undefined) throw new TwilioApiError(400, magic.code, magic.message(number));
}

/** Throws the error Twilio's test credentials give for this SMS sender and recipient, if any. */
export function checkSmsNumbers(from: string, to: string, extraValidFrom: ReadonlySet<string>): void {
  fail(smsFromMagic, from);
  if (from !== MAGIC_VALID_FROM && !extraValidFrom.has(from)) {
    throw new TwilioApiError(
      400,
      21606,
      `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    );
  }
  fail(smsToMagic, to);
  if (!E164.test(to))
    throw new TwilioApiError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
}

/** Throws the error Twilio's test credentials give for this caller id and callee, if any. */
export function checkCallNumbers(from: string, to: string, extraValidFrom: ReadonlySet<string>): void {
  fail(callFromMagic, from);
  if (from !== MAGIC_VALID_FROM && !extraValidFrom.has(from)) {
    throw new TwilioApiError(
      400,
      21210,
      `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`,
    );
  }
  fail(callToMagic, to);
  if (!E164.test(to)) throw new TwilioApiError(400, 21217, `Phone number ${to} does not appear to be valid.`);
}

/** A number the sandbox can dial or text at all (E.164). */
export function isE164(number: string): boolean {
  return E164.test(number);
}
