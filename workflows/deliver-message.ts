import {
  condition,
  patched,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ChannelFailure } from '../domain/channel-failures';
import type { DeliverMessageInput } from '../domain/deliver-message-input';
import { deliveryStatusSignal, type DeliveryStatus } from './channel-signals';
import { searchAttributes } from './search-attributes';
import { channelProxies, localDecisions } from './activity-proxies';
import { activityFailure } from './activity-failure';
import { parseWorkflowInput } from './workflow-input';

export type { DeliverMessageInput } from '../domain/deliver-message-input';
import { attemptKeyPrefix } from './attempt-keys';
import { isHeld } from './held-send';

/** What a send held back by the channel's final decision ends as, when it will never go. */
function heldOutcome(verdict: 'never' | 'expired'): DeliveryOutcome {
  return verdict === 'expired' ? 'expired' : 'not-allowed';
}

export type DeliveryOutcome =
  | 'delivered'
  | 'sent'
  | 'undelivered'
  | 'failed'
  | 'not-allowed'
  | 'expired'
  | 'invalid-recipient'
  | 'opted-out';

export interface DeliverMessageResult {
  outcome: DeliveryOutcome;
  /** Twilio SID or Message-ID when something was sent. */
  providerId?: string;
  /** The policy's or the provider's reason, for people. */
  detail: string;
  statuses: string[];
}

const finalSmsStatuses = new Set(['delivered', 'undelivered', 'failed', 'canceled']);

/**
 * One message to one person, the building block of notices, courtesy messages and
 * acknowledgements: asks the contact policy first (and waits, durably, until it allows — or
 * gives up at `notAfter`), sends once on the channel's paced task queue, then follows the
 * provider's status callbacks to the final status.
 */
export async function deliverMessage(rawInput: DeliverMessageInput): Promise<DeliverMessageResult> {
  // The attempt-key patch is asked in the first workflow task: before the input's local activity.
  const input = await parseWorkflowInput('deliverMessage', rawInput, attemptKeyPrefix);
  const { workflowId, taskQueue } = workflowInfo();
  const { sms, email } = channelProxies(taskQueue);

  const statuses: DeliveryStatus[] = [];
  const seen = new Set<string>();
  setHandler(deliveryStatusSignal, (status) => {
    // A provider may repeat a callback; each (attempt, status) counts once.
    const key = `${status.attemptKey}|${status.status}`;
    if (seen.has(key)) return;
    seen.add(key);
    statuses.push(status);
  });

  const finish = (outcome: DeliveryOutcome, detail: string, providerId?: string): DeliverMessageResult => {
    upsertSearchAttributes([
      { key: searchAttributes.State, value: 'done' },
      { key: searchAttributes.Outcome, value: outcome },
    ]);
    // A one-line summary for the Temporal UI. Runs recorded before it existed replay without it.
    // The memo is not encrypted: no address and no provider text in it.
    if (patched('deliver-message-memo')) {
      upsertMemo({ summary: `${input.purpose} by ${input.channel}: ${outcome}` });
    }
    return {
      outcome,
      detail,
      statuses: statuses.map((status) => status.status),
      ...(providerId ? { providerId } : {}),
    };
  };

  upsertSearchAttributes([
    { key: searchAttributes.Kind, value: input.purpose },
    { key: searchAttributes.Customer, value: input.customerKey },
    { key: searchAttributes.State, value: 'deciding' },
  ]);

  // A number without a known zone may be in several (a +1 toll-free number: all of North
  // America); the policy then allows only times inside the window in every one of them.
  const contact = { ...input.contact };
  if (
    contact.phone !== undefined &&
    contact.timeZone === undefined &&
    contact.candidateTimeZones.length === 0
  ) {
    contact.candidateTimeZones = await localDecisions.zonesForNumber(contact.phone);
  }

  // Ask before every contact; wait as long as the policy says, but never past notAfter. The channel
  // activity asks once more right before the provider call: a send that waited in the paced queue
  // until the window closed comes back "not yet", and the run waits and asks again.
  // Computed at the first send, where it always was (its patch marker's place in history).
  let attemptKey: string | undefined;
  const content = { template: input.template, locale: input.locale, variables: input.variables };
  const check = { contact, ...(input.notAfter !== undefined ? { notAfter: input.notAfter } : {}) };
  const waitUntil = async (untilEpochMs: number): Promise<void> => {
    upsertSearchAttributes([
      { key: searchAttributes.State, value: 'waiting-for-window' },
      { key: searchAttributes.DueAt, value: new Date(untilEpochMs) },
    ]);
    await sleep(Math.max(1_000, untilEpochMs - Date.now()));
  };
  try {
    for (;;) {
      const decision = await localDecisions.decideContact({
        // The workflow's clock, not the activity's: the same under replay and under time skipping.
        now: new Date().toISOString(),
        contact,
        channel: input.channel,
        purpose: input.purpose,
        ...(input.category ? { category: input.category } : {}),
        outreachId: workflowId,
      });
      if (decision.verdict === 'never')
        return finish('not-allowed', `${decision.reason}: ${decision.message}`);
      if (decision.verdict === 'not-yet') {
        if (input.notAfter !== undefined && decision.untilEpochMs > Date.parse(input.notAfter)) {
          return finish('expired', `${decision.reason}: ${decision.message}; not after ${input.notAfter}`);
        }
        await waitUntil(decision.untilEpochMs);
        continue;
      }

      upsertSearchAttributes([{ key: searchAttributes.State, value: 'sending' }]);
      // Unique per run: a later run under the same id (started again after this one closed, a reset)
      // must send its own message, not find this one's. A send held back by the final decision never
      // reached the provider, so the next try keeps the key.
      attemptKey ??= `${attemptKeyPrefix()}/${input.channel}/1`;
      const key = attemptKey;
      const common = {
        attemptKey: key,
        workflowId,
        customerKey: input.customerKey,
        purpose: input.purpose,
        // The policy resolves the category from the rules file when the caller gave none.
        category: decision.category,
        content,
        check,
      } as const;
      if (input.channel === 'email') {
        if (input.contact.email === undefined) return finish('not-allowed', 'no e-mail address');
        const sent = await email.sendEmail({ ...common, to: input.contact.email });
        if (isHeld(sent)) {
          if (sent.verdict !== 'not-yet') return finish(heldOutcome(sent.verdict), sent.message);
          await waitUntil(sent.untilEpochMs);
          continue;
        }
        return finish('sent', 'accepted by the SMTP relay', sent.messageId);
      }
      if (input.contact.phone === undefined) return finish('not-allowed', 'no phone number');
      const sent = await sms.sendSms({ ...common, to: input.contact.phone });
      if (isHeld(sent)) {
        if (sent.verdict !== 'not-yet') return finish(heldOutcome(sent.verdict), sent.message);
        await waitUntil(sent.untilEpochMs);
        continue;
      }
      upsertSearchAttributes([{ key: searchAttributes.State, value: 'awaiting-delivery' }]);
      const final = (): DeliveryStatus | undefined =>
        statuses.find((status) => status.attemptKey === key && finalSmsStatuses.has(status.status));
      await condition(() => final() !== undefined, `${input.deliveryTimeoutMinutes}m`);
      const status = final();
      if (status === undefined)
        return finish('sent', 'no final status from the provider in time', sent.messageSid);
      const outcome =
        status.status === 'delivered' ? 'delivered' : status.status === 'failed' ? 'failed' : 'undelivered';
      return finish(
        outcome,
        status.errorCode ? `provider error ${status.errorCode}` : status.status,
        sent.messageSid,
      );
    }
  } catch (error) {
    // Decide on the failure's type, never its text (domain/channel-failures.ts).
    const failure = activityFailure(error);
    if (failure?.type === ChannelFailure.InvalidRecipient)
      return finish('invalid-recipient', failure.message);
    if (failure?.type === ChannelFailure.RecipientOptedOut) return finish('opted-out', failure.message);
    throw error;
  }
}
