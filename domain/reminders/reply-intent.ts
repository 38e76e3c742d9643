import { normaliseReply, normaliseReplyBeforePatch } from '../replies/normalise-reply';

/**
 * What a customer's SMS reply to a reminder asks for. Matched on the whole message, normalised
 * (case, accents and punctuation ignored). CANCEL is deliberately not a cancel word: carriers treat
 * it as an opt-out of every message (domain/sms-keywords.ts), so reminders ask for N to cancel.
 */
export type ReminderReplyIntent = 'confirm' | 'cancel' | 'reschedule' | 'unknown';

const confirm = new Set(['C', 'Y', 'YES', 'OK', 'CONFIRM', 'CONFIRMED', 'SI', 'CONFIRMAR', 'CONFIRMO']);
const cancel = new Set(['N', 'NO', 'ANULAR']);
const reschedule = new Set(['R', 'RESCHEDULE', 'CHANGE', 'CAMBIAR', 'CAMBIO']);

export interface ClassifyReminderReplyOptions {
  /** Read as runs started before patched('one-reply-normaliser') did (their replay). @default false */
  readonly beforeOneNormaliser?: boolean;
}

export function classifyReminderReply(
  body: string,
  options: ClassifyReminderReplyOptions = {},
): ReminderReplyIntent {
  const word = options.beforeOneNormaliser
    ? normaliseReplyBeforePatch('reminder', body)
    : normaliseReply(body);
  if (confirm.has(word)) return 'confirm';
  if (cancel.has(word)) return 'cancel';
  if (reschedule.has(word)) return 'reschedule';
  return 'unknown';
}
