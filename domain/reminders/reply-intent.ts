/**
 * What a customer's SMS reply to a reminder asks for. Matched on the whole trimmed message, case
 * and accents ignored. CANCEL is deliberately not a cancel word: carriers treat it as an opt-out
 * of every message (domain/sms-keywords.ts), so reminders ask for N to cancel.
 */
export type ReminderReplyIntent = 'confirm' | 'cancel' | 'reschedule' | 'unknown';

const confirm = new Set(['C', 'Y', 'YES', 'OK', 'CONFIRM', 'CONFIRMED', 'SI', 'CONFIRMAR', 'CONFIRMO']);
const cancel = new Set(['N', 'NO', 'ANULAR']);
const reschedule = new Set(['R', 'RESCHEDULE', 'CHANGE', 'CAMBIAR', 'CAMBIO']);

export function classifyReminderReply(body: string): ReminderReplyIntent {
  const word = body
    .trim()
    .replace(/[.!¡?¿]+$/u, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  if (confirm.has(word)) return 'confirm';
  if (cancel.has(word)) return 'cancel';
  if (reschedule.has(word)) return 'reschedule';
  return 'unknown';
}
