import { z } from 'zod';
import {
  contactRequestSchema,
  instantSchema,
  toInstant,
  type Category,
  type Channel,
  type ContactPolicy,
  type NeverReason,
  type NotYetReason,
  type Purpose,
} from '../../domain/policy';
import { RESERVED_OUTCOME, type ContactStore } from '../../store';
import { decideWithHistory } from '../contact-policy';
import { contactHistoryFromStore } from '../contacts/contact-history';
import { customerKeyFor } from '../../domain/customer-key';

/**
 * What a channel activity needs for the final contact decision, given by the workflow that planned
 * the send: whom (with every zone and the country the policy needs), until when the send still makes
 * sense, and any other field of a contact request (contact-request.ts) except what the activity
 * knows itself (the channel, the purpose, the category, the clock and the store's history).
 */
export const finalCheckSchema = contactRequestSchema
  .omit({
    now: true,
    channel: true,
    purpose: true,
    category: true,
    contactLog: true,
    optOuts: true,
    doNotContact: true,
    outreachId: true,
  })
  .extend({
    /** Give up rather than send after this instant (ISO): the send is then `expired`. */
    notAfter: instantSchema.optional(),
  });
export type FinalCheck = z.input<typeof finalCheckSchema>;

/**
 * A send the final decision held back: nothing reached the provider. `not-yet` says when the policy
 * allows it (the run plans again for then), `expired` that that is past the send's `notAfter`,
 * `never` that it must not happen (an opt-out, a do-not-contact entry recorded since the run asked).
 */
export type HeldSend =
  | {
      readonly sent: false;
      readonly verdict: 'not-yet';
      readonly reason: NotYetReason;
      readonly message: string;
      readonly until: string;
      readonly untilEpochMs: number;
    }
  | {
      readonly sent: false;
      readonly verdict: 'never';
      readonly reason: NeverReason;
      readonly message: string;
    }
  | { readonly sent: false; readonly verdict: 'expired'; readonly message: string };

export interface ContactGateDeps {
  store: ContactStore;
  policy: ContactPolicy;
  /** Keys the contact log by customer (domain/customer-key.ts). */
  customerKeySecret: string;
  now: () => number;
}

export interface GateTouch {
  attemptKey: string;
  workflowId: string;
  /** The address the provider is about to be given. */
  address: string;
  channel: Channel;
  purpose: Purpose;
  category: Category;
  check: z.output<typeof finalCheckSchema>;
}

/**
 * The contact decision taken at the moment of contact, inside the channel activity right before the
 * provider call (around the pacing slot: `decideThenTakeSlot`). A send that waited in a paced queue
 * past 21:00 or past its `notAfter` is held back here, whatever the run decided when it asked.
 *
 * Allowed sends reserve their place in the contact log in the same transaction, under a lock on the
 * customer's addresses (`withContactLock`): five sends to one customer that pass the gate together
 * see each other's reservations, so a "3 per 7 days" cap lets exactly three through. The send's
 * logged outcome replaces the reservation; a send that fails for good releases it.
 */
export function createContactGate(deps: ContactGateDeps) {
  return async function passGate(touch: GateTouch): Promise<AllowedSend | HeldSend> {
    const { contact, notAfter, ...rest } = touch.check;
    const nowMs = deps.now();
    if (notAfter !== undefined && nowMs > Date.parse(notAfter)) {
      return { sent: false, verdict: 'expired', message: `Not sent: past its notAfter ${notAfter}.` };
    }
    const addresses = [touch.address, contact.phone, contact.email?.toLowerCase()].filter(
      (address): address is string => address !== undefined,
    );
    return deps.store.withContactLock(addresses, async (locked) => {
      const decision = await decideWithHistory(
        {
          ...rest,
          contact,
          channel: touch.channel,
          purpose: touch.purpose,
          category: touch.category,
          now: toInstant(nowMs),
          contactLog: [],
          optOuts: [],
          doNotContact: false,
          outreachId: touch.workflowId,
        },
        deps.policy,
        contactHistoryFromStore(locked, deps.customerKeySecret),
      );
      if (decision.verdict === 'never') {
        return { sent: false, verdict: 'never', reason: decision.reason, message: decision.message };
      }
      if (decision.verdict === 'not-yet') {
        if (notAfter !== undefined && decision.untilEpochMs > Date.parse(notAfter)) {
          return {
            sent: false,
            verdict: 'expired',
            message: `Not sent: ${decision.message} That is after its notAfter ${notAfter}.`,
          };
        }
        return {
          sent: false,
          verdict: 'not-yet',
          reason: decision.reason,
          message: decision.message,
          until: decision.until,
          untilEpochMs: decision.untilEpochMs,
        };
      }
      await locked.logContact({
        entryId: touch.attemptKey,
        // Keyed as the history above reads it; the send's own log entry then replaces this one.
        customerKey: customerKeyFor(touch.address, deps.customerKeySecret),
        address: touch.address,
        channel: touch.channel,
        purpose: touch.purpose,
        category: touch.category,
        at: nowMs,
        outcome: RESERVED_OUTCOME,
        workflowId: touch.workflowId,
      });
      return {
        verdict: 'allowed',
        ...(decision.openUntilEpochMs !== undefined ? { openUntilEpochMs: decision.openUntilEpochMs } : {}),
      } as const;
    });
  };
}

export type PassGate = ReturnType<typeof createContactGate>;

/** The final decision let the send go, its place reserved; it holds until `openUntilEpochMs`. */
export interface AllowedSend {
  readonly verdict: 'allowed';
  /** The window (or the centre's hours) may close then; absent when nothing closes with time. */
  readonly openUntilEpochMs?: number;
}

/** The touch a channel request is about, or undefined when it carries no `check` (an older build's task). */
export function touchOf(
  request: Pick<GateTouch, 'attemptKey' | 'workflowId' | 'purpose' | 'category'> & {
    check?: GateTouch['check'];
  },
  channel: Channel,
  address: string,
): GateTouch | undefined {
  if (request.check === undefined) return undefined;
  const { attemptKey, workflowId, purpose, category, check } = request;
  return { attemptKey, workflowId, address, channel, purpose, category, check };
}

export interface PacedGateDeps {
  passGate?: PassGate;
  /** The channel's pacing slot (worker/create-worker.ts). */
  waitForSlot?: () => Promise<void>;
  store: Pick<ContactStore, 'releaseReservation'>;
  now: () => number;
}

/**
 * The final decision and the pacing slot, in the order that keeps both exact: decide (and reserve),
 * then wait for the slot, so the provider is called the moment the slot comes — a decision taken
 * after the slot would add its own latency between slots and bunch sends above the rate. The wait
 * is short (a channel worker runs about two seconds' worth of sends at a time), and if the window
 * may have closed or `notAfter` passed during it, the decision is taken again.
 *
 * `touch` undefined: no final decision (a task from an older build, a test of the activity alone).
 */
export async function decideThenTakeSlot(
  deps: PacedGateDeps,
  touch: GateTouch | undefined,
): Promise<AllowedSend | HeldSend> {
  if (deps.passGate === undefined || touch === undefined) {
    await deps.waitForSlot?.();
    return { verdict: 'allowed' };
  }
  const first = await deps.passGate(touch);
  if (first.verdict !== 'allowed') return first;
  await deps.waitForSlot?.();
  const nowMs = deps.now();
  const notAfterMs = touch.check.notAfter === undefined ? Infinity : Date.parse(touch.check.notAfter);
  const closes = first.openUntilEpochMs ?? Infinity;
  if (nowMs < closes && nowMs <= notAfterMs) return first;
  const again = await deps.passGate(touch);
  if (again.verdict !== 'allowed') await deps.store.releaseReservation(touch.attemptKey);
  return again;
}
