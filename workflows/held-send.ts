import type { HeldSend } from '../activities/channels/contact-gate';

/**
 * True when the channel activity's final contact decision held the send back (nothing reached the
 * provider). Results recorded before the final decision existed carry no `sent` field: all were sends.
 */
export function isHeld<T extends object>(result: T | HeldSend): result is HeldSend {
  return (result as { sent?: unknown }).sent === false;
}
