/**
 * How far a send got, so a status that arrives late (Twilio does not promise order) never overwrites
 * a later one: `sent` after `delivered` leaves `delivered`.
 */
const RANKS: Readonly<Record<string, number>> = {
  accepted: 1,
  queued: 1,
  scheduled: 1,
  initiated: 2,
  sending: 2,
  placed: 2,
  sent: 3,
  ringing: 3,
  'in-progress': 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  completed: 5,
  busy: 5,
  'no-answer': 5,
  canceled: 5,
  read: 6,
};

export function deliveryStatusRank(status: string): number {
  return RANKS[status] ?? 0;
}

/** Statuses that mean the message reached the handset (`read` is a delivered message read). */
export const DELIVERED_STATUSES: ReadonlySet<string> = new Set(['delivered', 'read']);
/** Statuses that mean it never will: the carrier gave up, or the provider refused it. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['undelivered', 'failed']);
