import { ApplicationFailure, log } from '@temporalio/activity';
import { ChannelFailure, type ChannelFailureType } from '../../domain/channel-failures';
import { withoutPersonalData } from './customer-label';

/**
 * How a provider error is treated. `ambiguous` means the provider may have acted before the
 * error reached us (timeout, 5xx): a retry must ask the provider before sending again.
 */
export interface ErrorClass {
  failure: ChannelFailureType | 'Retryable';
  ambiguous: boolean;
  alert: boolean;
}

const recipient: ErrorClass = { failure: ChannelFailure.InvalidRecipient, ambiguous: false, alert: false };
const optedOut: ErrorClass = { failure: ChannelFailure.RecipientOptedOut, ambiguous: false, alert: false };
const misconfigured: ErrorClass = {
  failure: ChannelFailure.ChannelMisconfigured,
  ambiguous: false,
  alert: true,
};
const transient: ErrorClass = { failure: ChannelFailure.TransientDelivery, ambiguous: false, alert: false };
const retryable: ErrorClass = { failure: 'Retryable', ambiguous: false, alert: false };
const ambiguous: ErrorClass = { failure: 'Retryable', ambiguous: true, alert: false };

/** Twilio error codes (API errors and delivery ErrorCodes), one table; docs/channels.md mirrors it. */
export const twilioErrorTable: Readonly<Record<number, ErrorClass>> = {
  20003: misconfigured, // authentication failed
  20404: retryable, // resource not found (yet): a fetch right after create
  20429: retryable, // too many requests
  20503: ambiguous, // service unavailable: the request may have been acted on
  21210: misconfigured, // caller id ('From') not verified for this account
  21211: recipient, // invalid 'To' number
  21212: misconfigured, // invalid 'From' number
  21214: recipient, // 'To' cannot be reached (calls)
  21215: misconfigured, // geographic permission for this call not enabled
  21216: recipient, // 'To' is blocked for calls
  21217: recipient, // 'To' is not a valid number for calls
  21611: retryable, // this 'From' has too many queued messages
  21612: recipient, // cannot route to this number
  21614: recipient, // 'To' is not a mobile number
  21408: misconfigured, // permission to send to this region not enabled
  21606: misconfigured, // 'From' cannot send SMS
  21610: optedOut, // recipient replied STOP / blocked
  30003: transient, // unreachable handset
  30004: optedOut, // message blocked
  30005: recipient, // unknown destination handset
  30006: recipient, // landline or unreachable carrier
  30007: transient, // carrier filtering
  30008: transient, // unknown error
};

/** Classifies an error thrown by the `twilio` library (RestException) or the network beneath it. */
export function classifyTwilioError(error: unknown): ErrorClass {
  const { code, status } = error as { code?: unknown; status?: unknown };
  if (typeof code === 'number' && twilioErrorTable[code] !== undefined) return twilioErrorTable[code];
  if (typeof status === 'number') {
    if (status === 401 || status === 403) return misconfigured;
    if (status === 429) return retryable;
    if (status >= 500) return ambiguous;
    if (status >= 400) return recipient;
  }
  // No HTTP answer at all (timeout, reset): the request may have reached Twilio.
  return ambiguous;
}

/** Classifies a nodemailer/SMTP error. */
export function classifySmtpError(error: unknown): ErrorClass {
  const { code, responseCode, command } = error as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  if (code === 'EAUTH') return misconfigured;
  if (code === 'EENVELOPE' && typeof responseCode !== 'number') return recipient; // no valid recipient address
  if (typeof responseCode === 'number') {
    if (responseCode >= 500) {
      // A permanent rejection of the recipient; a 5xx for the message as a whole is a config problem.
      return command === 'RCPT TO' || code === 'EENVELOPE' ? recipient : misconfigured;
    }
    if (responseCode >= 400) return retryable;
  }
  // Connection lost mid-DATA: the server may have queued the message.
  if (code === 'ETIMEDOUT' || code === 'ECONNECTION' || code === 'ESOCKET') return ambiguous;
  return retryable;
}

/**
 * Turns a classification into the Temporal failure the activity throws. Providers name the
 * recipient in their errors ("The 'To' number +1… is not valid"): the message names the customer
 * by key instead, and any other number or address is redacted.
 */
export function toActivityFailure(
  errorClass: ErrorClass,
  error: unknown,
  channel: string,
  recipient?: { address: string; customerKeySecret?: string | undefined },
): Error {
  const raw = error instanceof Error ? error.message : String(error);
  const message = `${channel}: ${withoutPersonalData(raw, recipient?.address, recipient?.customerKeySecret)}`;
  const details = [{ code: (error as { code?: unknown }).code ?? null, alert: errorClass.alert }];
  if (errorClass.alert) {
    // Every send on this channel will fail the same way until someone fixes the configuration.
    log.error('channel misconfigured: fix the provider settings', { channel, error: message });
  }
  if (errorClass.failure === 'Retryable' || errorClass.failure === ChannelFailure.TransientDelivery) {
    return ApplicationFailure.retryable(message, errorClass.failure, ...details);
  }
  return ApplicationFailure.nonRetryable(message, errorClass.failure, ...details);
}
