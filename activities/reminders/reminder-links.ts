import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a link in a reminder e-mail asks for. */
export const REMINDER_LINK_ACTIONS = ['confirm', 'cancel', 'reschedule'] as const;
export type ReminderLinkAction = (typeof REMINDER_LINK_ACTIONS)[number];

export interface ReminderLinkSigner {
  /** Secret the link key is derived from (the customer-key secret: one secret, separate keys). */
  secret: string;
  /** Public base URL of the HTTP API, e.g. https://recontact.example.com. */
  publicUrl: string;
}

// A key of its own for links, derived from the deployment secret, so a link signature can never
// double as a customer key and vice versa.
function linkKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('recontact/reminder-links/v1').digest();
}

function signature(secret: string, appointmentId: string, action: ReminderLinkAction, atMs: number): string {
  return createHmac('sha256', linkKey(secret))
    .update(`${appointmentId}\n${action}\n${atMs}`)
    .digest('base64url')
    .slice(0, 32);
}

/** Path of a link, under the API's public URL. */
export function reminderLinkPath(appointmentId: string, action: ReminderLinkAction): string {
  return `/links/reminders/${encodeURIComponent(appointmentId)}/${action}`;
}

/**
 * A link that lets the customer act on one appointment at one time. It names the appointment time
 * it was sent for: after a reschedule, an old e-mail's link is recognised as stale instead of
 * confirming a time the customer never saw.
 */
export function signReminderLink(
  signer: ReminderLinkSigner,
  appointmentId: string,
  action: ReminderLinkAction,
  atMs: number,
): string {
  const query = new URLSearchParams({
    at: String(atMs),
    sig: signature(signer.secret, appointmentId, action, atMs),
  });
  return `${signer.publicUrl.replace(/\/+$/, '')}${reminderLinkPath(appointmentId, action)}?${query.toString()}`;
}

/** True when `sig` is this deployment's signature of (appointment, action, time). Constant time. */
export function verifyReminderLink(
  secret: string,
  appointmentId: string,
  action: ReminderLinkAction,
  atMs: number,
  sig: string,
): boolean {
  const expected = Buffer.from(signature(secret, appointmentId, action, atMs));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
