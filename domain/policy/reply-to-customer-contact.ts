import { MS_PER_MINUTE } from './civil-date';
import type { ReplyToCustomerContact } from './rules-schema';
import type { Category, Channel, Purpose } from './vocabulary';

/** The ACD's clock may run a little ahead of ours: a contact this far in the future still counts as now. */
const CLOCK_SKEW_MS = MS_PER_MINUTE;

/** The stretch after the customer's own contact in which a reply may go at any hour. */
export interface ReplyAllowance {
  readonly contactAtMs: number;
  /** The calling window applies again from this instant. */
  readonly untilMs: number;
  readonly rule: ReplyToCustomerContact;
}

/**
 * The reply allowance a touch gets, or undefined when the rule is absent or off, the touch is not in its
 * scope (marketing never is), or the request names no customer contact. An allowance whose `untilMs` has
 * passed is still returned, so the explanation can say the rule no longer applies.
 */
export function replyAllowance(
  rule: ReplyToCustomerContact | undefined,
  touch: { channel: Channel; purpose: Purpose; category: Category },
  customerContactAtMs: number | undefined,
  nowMs: number,
): ReplyAllowance | undefined {
  if (rule === undefined || rule.withinMinutes === 0 || customerContactAtMs === undefined) return undefined;
  if (touch.category !== 'service') return undefined;
  if (!rule.channels.includes(touch.channel) || !rule.purposes.includes(touch.purpose)) return undefined;
  // A contact "in the future" is a wrong clock or a wrong field: it opens nothing.
  if (customerContactAtMs > nowMs + CLOCK_SKEW_MS) return undefined;
  const contactAtMs = Math.min(customerContactAtMs, nowMs);
  return { contactAtMs, untilMs: contactAtMs + rule.withinMinutes * MS_PER_MINUTE, rule };
}
