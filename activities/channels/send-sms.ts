import type { Twilio } from 'twilio';
import { z } from 'zod';
import { categorySchema, purposeSchema } from '../../domain/policy';
import { ChannelFailure } from '../../domain/channel-failures';
import type { ContactStore } from '../../store';
import { refuseBlockedContact } from './refuse-blocked-contact';
import { classifyTwilioError, toActivityFailure } from './provider-errors';
import { messageContentSchema, type RenderMessage } from './message-content';
import { statusCallbackUrl } from './status-callback-url';
import { decideThenTakeSlot, finalCheckSchema, touchOf, type HeldSend, type PassGate } from './contact-gate';

export const smsRequestSchema = z.object({
  /**
   * Stable across retries of this activity and unique per run and attempt, e.g.
   * `${workflowId}/${runId}/sms/1` (workflows/attempt-keys.ts).
   */
  attemptKey: z.string().min(1).max(300),
  /** The workflow that owns the attempt; status callbacks are signalled to it. */
  workflowId: z.string().min(1),
  /** E.164. */
  to: z.string().regex(/^\+[1-9]\d{4,14}$/, 'expected E.164'),
  content: messageContentSchema,
  customerKey: z.string().min(1),
  purpose: purposeSchema,
  category: categorySchema,
  /**
   * `workflowId` waits this long for the customer's SMS answer (confirmations, "call me now"): a
   * reply goes to it unless it could be for another outreach waiting too (api/reply-routing.ts).
   */
  expectReplyForMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 60)
    .optional(),
  /**
   * For the final contact decision right before the provider call (contact-gate.ts). Absent only in
   * tasks scheduled by a build that did not send it: those go out as that build decided.
   */
  check: finalCheckSchema.optional(),
});
export type SmsRequest = z.input<typeof smsRequestSchema>;

export type SmsResult =
  | {
      sent: true;
      messageSid: string;
      /** True when an earlier run of this attempt had already sent it: nothing was sent now. */
      alreadySent: boolean;
    }
  | HeldSend;

export interface SendSmsDeps {
  /** Waits for this process's pacing slot (worker/create-worker.ts); none in tests of the activity alone. */
  waitForSlot?: () => Promise<void>;
  /** The final contact decision (contact-gate.ts); none in tests of the activity alone. */
  passGate?: PassGate;
  twilio: Twilio;
  store: ContactStore;
  render: RenderMessage;
  from: string;
  publicUrl: string;
  now?: () => number;
  /** Names the customer by key in failure messages; without it they are named "[phone]"/"[email]". */
  customerKeySecret?: string;
}

/**
 * Sends one SMS, at most once per attempt key, even across worker crashes and ambiguous
 * provider failures: the attempt is recorded before Twilio is called and the SID after; a
 * retry that finds a SID returns it, one that finds none asks Twilio for a message to the same
 * number with the same text created since the attempt began before sending again.
 */
export function createSendSms(deps: SendSmsDeps) {
  const now = deps.now ?? Date.now;
  return async function sendSms(request: SmsRequest): Promise<SmsResult> {
    const input = smsRequestSchema.parse(request);
    await refuseBlockedContact(deps.store, input.to, 'sms', deps.customerKeySecret);
    const body = deps.render(input.content).text;
    const recordSent = async (sid: string, billed?: { segments?: number; price?: number }): Promise<void> => {
      await deps.store.recordProviderId(input.attemptKey, sid);
      // For the KPIs' cost and delivery figures (a recovered earlier send knows no segments: one counted).
      await deps.store.recordSendReport({
        attemptKey: input.attemptKey,
        channel: 'sms',
        purpose: input.purpose,
        at: now(),
        status: 'sent',
        ...billed,
      });
      if (input.expectReplyForMinutes !== undefined) {
        const askedAt = now();
        await deps.store.expectReply({
          address: input.to,
          workflowId: input.workflowId,
          purpose: input.purpose,
          askedAt,
          until: askedAt + input.expectReplyForMinutes * 60_000,
        });
      }
      await deps.store.logContact({
        entryId: input.attemptKey,
        customerKey: input.customerKey,
        address: input.to,
        channel: 'sms',
        purpose: input.purpose,
        category: input.category,
        at: now(),
        outcome: 'sent',
        workflowId: input.workflowId,
      });
    };
    const { attempt, created } = await deps.store.beginAttempt({
      attemptKey: input.attemptKey,
      channel: 'sms',
      to: input.to,
      startedAt: now(),
    });
    // An earlier run may have sent it and died before finishing the bookkeeping below, which is
    // idempotent: finish it and return the SID rather than sending again.
    const earlier =
      attempt.providerId ??
      (created
        ? undefined
        : await findEarlierSend(deps, input.attemptKey, input.to, body, attempt.startedAt));
    if (earlier !== undefined) {
      await recordSent(earlier);
      return { sent: true, messageSid: earlier, alreadySent: true };
    }

    const gate = await decideThenTakeSlot(
      { passGate: deps.passGate, waitForSlot: deps.waitForSlot, store: deps.store, now },
      touchOf(input, 'sms', input.to),
    );
    // Nothing reached the provider: the attempt stays open, and the run asks again under this key.
    if (gate.verdict !== 'allowed') return gate;
    let sid: string;
    let billed: { segments?: number; price?: number } = {};
    try {
      const message = await deps.twilio.messages.create({
        to: input.to,
        from: deps.from,
        body,
        statusCallback: statusCallbackUrl(deps.publicUrl, input.workflowId, input.attemptKey, 'sms'),
      });
      sid = message.sid;
      billed = providerBilling(message.numSegments, message.price);
    } catch (error) {
      const errorClass = classifyTwilioError(error);
      if (errorClass.failure === ChannelFailure.RecipientOptedOut) {
        // The carrier or Twilio says this number opted out: remember it for every later send.
        await deps.store.recordOptOut({ address: input.to, channel: 'sms', source: 'provider', at: now() });
      }
      if (errorClass.failure !== 'Retryable') {
        await deps.store.recordSendReport({
          attemptKey: input.attemptKey,
          channel: 'sms',
          purpose: input.purpose,
          at: now(),
          status: 'failed',
        });
        await deps.store.completeAttempt(input.attemptKey, 'failed');
        await deps.store.releaseReservation(input.attemptKey);
      }
      throw toActivityFailure(errorClass, error, 'sms', {
        address: input.to,
        customerKeySecret: deps.customerKeySecret,
      });
    }
    await recordSent(sid, billed);
    return { sent: true, messageSid: sid, alreadySent: false };
  };
}

/** Segments and price as Twilio's message resource gives them (strings; the price is null until billed). */
function providerBilling(
  numSegments: string | null | undefined,
  price: string | null | undefined,
): { segments?: number; price?: number } {
  const segments = Number(numSegments);
  const priced = price === null || price === undefined || price === '' ? Number.NaN : Number(price);
  return {
    ...(Number.isInteger(segments) && segments >= 1 && segments <= 100 ? { segments } : {}),
    ...(Number.isFinite(priced) ? { price: priced } : {}),
  };
}

/** A message Twilio accepted for this attempt before an ambiguous failure, if any. */
async function findEarlierSend(
  deps: SendSmsDeps,
  attemptKey: string,
  to: string,
  body: string,
  startedAt: number,
): Promise<string | undefined> {
  // Clock skew between us and the provider: look a minute further back than the attempt.
  const since = startedAt - 60_000;
  const recent = await deps.twilio.messages.list({ to, from: deps.from, limit: 50 });
  for (const message of recent) {
    if (message.body !== body || message.dateCreated.getTime() < since) continue;
    // The same text to the same number may be another run's (a returning customer's second
    // acknowledgement): a message another attempt recorded is never this one's.
    const owner = await deps.store.findAttemptByProviderId(message.sid);
    if (owner === undefined || owner.attemptKey === attemptKey) return message.sid;
  }
  return undefined;
}
