import { setTimeout as sleep } from 'node:timers/promises';
import type { Twilio } from 'twilio';
import { z } from 'zod';
import { categorySchema, purposeSchema } from '../../domain/policy';
import { agentAddressSchema, type ContactStore } from '../../store';
import { refuseBlockedContact } from './refuse-blocked-contact';
import { classifyTwilioError, toActivityFailure } from './provider-errors';
import { statusCallbackUrl } from './status-callback-url';
import { decideThenTakeSlot, finalCheckSchema, touchOf, type HeldSend, type PassGate } from './contact-gate';

const e164 = z.string().regex(/^\+[1-9]\d{4,14}$/, 'expected E.164');

export const callRequestSchema = z.object({
  /** Stable across retries of this activity and unique per dial attempt. */
  attemptKey: z.string().min(1).max(300),
  workflowId: z.string().min(1),
  /** The agent who claimed the callback: rung first (E.164, client:<identity> or sip:<user>@<host>). */
  agentPhone: agentAddressSchema,
  /** The customer: dialled only once the agent has answered. */
  customerPhone: e164,
  locale: z.string().min(2).default('en'),
  /** What to do when a machine answers the customer leg. */
  onVoicemail: z.enum(['leave-message', 'hang-up']).default('leave-message'),
  customerKey: z.string().min(1),
  purpose: purposeSchema,
  category: categorySchema,
  /** For the final contact decision (contact-gate.ts); absent only in tasks of an older build. */
  check: finalCheckSchema.optional(),
});
export type CallRequest = z.input<typeof callRequestSchema>;

export type CallResult = { placed: true; callSid: string; alreadyPlaced: boolean } | HeldSend;

export interface PlaceCallDeps {
  /** Waits for this process's pacing slot (worker/create-worker.ts); none in tests of the activity alone. */
  waitForSlot?: () => Promise<void>;
  /** The final contact decision (contact-gate.ts); none in tests of the activity alone. */
  passGate?: PassGate;
  twilio: Twilio;
  store: ContactStore;
  from: string;
  publicUrl: string;
  now?: () => number;
  /** Names the customer by key in failure messages; without it they are named "[phone]"/"[email]". */
  customerKeySecret?: string;
  /**
   * How long a retry waits for the `initiated` report of a call an earlier, ambiguous try (a 5xx,
   * a timeout) may have placed, before it places the call again. @default 5000
   */
  reportWaitMs?: number;
}

/** How long a retry waits for the `initiated` report of a call an earlier try may have placed. */
const DEFAULT_REPORT_WAIT_MS = 5_000;
const REPORT_POLL_MS = 250;
/** A call placed longer ago than this has long reported itself: a retry need not wait for it. */
const RECENT_ATTEMPT_MS = 120_000;

/**
 * Places an agent-first call: Twilio rings the agent; when the agent answers, our voice webhook
 * answers with TwiML that `<Dial>`s the customer with answering-machine detection, so the
 * customer's phone never rings unless an agent is on the line. At most one call per attempt
 * key: the call's status callback URL carries the key, and the status webhook records the SID
 * Twilio reports for it (api/twilio-messaging-webhooks.ts). A retry returns the SID recorded for
 * its own key — waiting a few seconds for the `initiated` report when the attempt began recently —
 * and otherwise places the call. It never adopts a call by its number alone: the agent may be
 * taking another callback's call.
 */
export function createPlaceCall(deps: PlaceCallDeps) {
  const now = deps.now ?? Date.now;
  const reportWaitMs = deps.reportWaitMs ?? DEFAULT_REPORT_WAIT_MS;
  return async function placeCall(request: CallRequest): Promise<CallResult> {
    const input = callRequestSchema.parse(request);
    await refuseBlockedContact(deps.store, input.customerPhone, 'voice', deps.customerKeySecret);
    // Idempotent, so a retry that finds the call finishes the bookkeeping an earlier try may not have.
    const recordPlaced = async (sid: string): Promise<void> => {
      await deps.store.recordProviderId(input.attemptKey, sid);
      // For the KPIs' cost: the status callbacks add the call's seconds.
      await deps.store.recordSendReport({
        attemptKey: input.attemptKey,
        channel: 'voice',
        purpose: input.purpose,
        at: now(),
        status: 'placed',
      });
      await deps.store.logContact({
        entryId: input.attemptKey,
        customerKey: input.customerKey,
        address: input.customerPhone,
        channel: 'voice',
        purpose: input.purpose,
        category: input.category,
        at: now(),
        outcome: 'dialled',
        workflowId: input.workflowId,
      });
    };
    /** The SID the status webhook recorded for this attempt, waiting briefly for a recent one. */
    const reportedSid = async (startedAt: number): Promise<string | undefined> => {
      if (now() - startedAt >= RECENT_ATTEMPT_MS) return undefined;
      for (let waited = 0; ; waited += REPORT_POLL_MS) {
        const sid = (await deps.store.getAttempt(input.attemptKey))?.providerId ?? undefined;
        if (sid !== undefined || waited >= reportWaitMs) return sid;
        await sleep(REPORT_POLL_MS);
      }
    };
    // The attempt is keyed on the customer: the voice webhooks read the number from it, so it
    // never travels in a URL.
    const { attempt, created } = await deps.store.beginAttempt({
      attemptKey: input.attemptKey,
      channel: 'voice',
      to: input.customerPhone,
      startedAt: now(),
    });
    const earlier = created ? undefined : (attempt.providerId ?? (await reportedSid(attempt.startedAt)));
    if (earlier !== undefined) {
      await recordPlaced(earlier);
      return { placed: true, callSid: earlier, alreadyPlaced: true };
    }

    const bridge = new URLSearchParams({
      workflowId: input.workflowId,
      attemptKey: input.attemptKey,
      locale: input.locale,
      onVoicemail: input.onVoicemail,
    });
    const gate = await decideThenTakeSlot(
      { passGate: deps.passGate, waitForSlot: deps.waitForSlot, store: deps.store, now },
      touchOf(input, 'voice', input.customerPhone),
    );
    // Nothing reached the provider: the attempt stays open, and the run asks again under this key.
    if (gate.verdict !== 'allowed') return gate;
    let sid: string;
    try {
      const call = await deps.twilio.calls.create({
        to: input.agentPhone,
        from: deps.from,
        url: `${deps.publicUrl}/webhooks/twilio/voice/agent-answered?${bridge.toString()}`,
        method: 'POST',
        statusCallback: statusCallbackUrl(deps.publicUrl, input.workflowId, input.attemptKey, 'voice'),
        statusCallbackMethod: 'POST',
        // `initiated` is what a retry after a lost answer waits for: it names this attempt's call.
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      });
      sid = call.sid;
    } catch (error) {
      const errorClass = classifyTwilioError(error);
      if (errorClass.failure !== 'Retryable') {
        await deps.store.completeAttempt(input.attemptKey, 'failed');
        await deps.store.releaseReservation(input.attemptKey);
      }
      throw toActivityFailure(errorClass, error, 'voice', {
        address: input.customerPhone,
        customerKeySecret: deps.customerKeySecret,
      });
    }
    await recordPlaced(sid);
    return { placed: true, callSid: sid, alreadyPlaced: false };
  };
}

export interface EndCallDeps {
  twilio: Twilio;
}

/** Statuses a call or leg no longer changes from. */
const FINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
/** Statuses before anyone answers: a cancel ends them, and has no effect once the leg is answered. */
const UNANSWERED_CALL_STATUSES = ['queued', 'initiated', 'ringing'];

/**
 * Ends a call that should no longer go on (the customer was reached elsewhere while it rang, or
 * no report came for it): `canceled` if nobody answered, `completed` if only the agent is on it.
 * A call whose customer leg has been answered is a live conversation and is never ended: it
 * answers `in-conversation` and leaves it alone. Ringing legs are ended with a cancel, which the
 * provider ignores for a leg answered in the meantime, so a customer who picks up at that very
 * moment is never hung up on.
 */
export function createEndCall(deps: EndCallDeps) {
  const customerLegs = (callSid: string) => deps.twilio.calls.list({ parentCallSid: callSid, limit: 20 });
  return async function endCall(callSid: string): Promise<string> {
    try {
      const call = await deps.twilio.calls(callSid).fetch();
      if (FINAL_CALL_STATUSES.includes(call.status)) return call.status;
      if (UNANSWERED_CALL_STATUSES.includes(call.status)) {
        const canceled = await deps.twilio.calls(callSid).update({ status: 'canceled' });
        if (canceled.status !== 'in-progress') return canceled.status;
      }
      // The agent is on the line: cancel the customer legs still ringing, then look again.
      for (const leg of await customerLegs(callSid)) {
        if (UNANSWERED_CALL_STATUSES.includes(leg.status))
          await deps.twilio.calls(leg.sid).update({ status: 'canceled' });
      }
      if ((await customerLegs(callSid)).some((leg) => leg.status === 'in-progress')) return 'in-conversation';
      return (await deps.twilio.calls(callSid).update({ status: 'completed' })).status;
    } catch (error) {
      throw toActivityFailure(classifyTwilioError(error), error, 'voice');
    }
  };
}
