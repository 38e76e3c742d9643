import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { CallbackDecision } from '../../activities/callbacks/callback-decisions';
import { searchAttributes } from '../search-attributes';
import { finish, type CallbackResult } from './callback-finish';
import type { CallbackRun } from './callback-run';
import { askReply, askWindow, callerContactAt, rescore, sendText, workflowNow } from './callback-steps';

/**
 * 1–2. Decides what the request gets and acknowledges it (a continued run only picks up where the
 * last one stopped). Returns the result when that is all the request gets, undefined when the
 * callback is to be served.
 */
export async function begin(run: CallbackRun): Promise<CallbackResult | undefined> {
  const { request, contact } = run;
  const { life, replyPolicy } = run.patches;
  if (run.carried !== undefined) {
    if (contact.phone !== undefined && contact.timeZone === undefined) {
      contact.candidateTimeZones = await run.local.zonesForNumber(contact.phone);
    }
    upsertSearchAttributes([{ key: searchAttributes.Skill, value: run.skill }]);
    await rescore(run);
    return undefined;
  }
  if (life) {
    // Runs of one workflow id never overlap: whatever a previous run of this customer's callback
    // left in the agent queue (a run terminated from the UI runs no code) is stale.
    await run.queue.leaveAgentQueue({ workflowId: run.workflowId });
  }
  const decision: CallbackDecision = await run.local.decideCallback(request, workflowNow());
  run.decided = { action: decision.action, reason: decision.reason };
  run.note('decided', `${decision.action} (${decision.reason}): ${decision.message}`);
  if (decision.action === 'ignore') return finish(run, 'ignored', `${decision.reason}: ${decision.message}`);
  run.skill = decision.skill;
  // A number without a known zone may be in several: the policy then allows only times inside the
  // window in every one of them.
  if (contact.phone !== undefined && contact.timeZone === undefined) {
    contact.candidateTimeZones = await run.local.zonesForNumber(contact.phone);
  }
  const expiresAtMs = Date.parse(request.requestedAt) + decision.ttlHours * 3_600_000;
  run.expiresAtMs = expiresAtMs;
  upsertSearchAttributes([{ key: searchAttributes.Skill, value: run.skill }]);

  if (decision.action === 'sms-only') {
    // The apology is all this abandon gets: it waits for a time the policy allows, within the TTL.
    while (replyPolicy) {
      const allowed = await askReply(run);
      if (allowed.verdict === 'allowed') break;
      if (allowed.verdict === 'never') {
        return finish(
          run,
          'not-allowed',
          `The apology SMS may not be sent (${allowed.reason}): ${allowed.message}`,
        );
      }
      if (allowed.untilEpochMs > expiresAtMs) {
        return finish(
          run,
          'not-allowed',
          `The apology SMS is not sent: the policy allows it only after the request expires ` +
            `(${new Date(expiresAtMs).toISOString()}). ${allowed.message}`,
        );
      }
      run.note('apology-deferred', `The apology SMS waits (${allowed.reason}): ${allowed.message}`);
      await condition(() => run.stop !== undefined, Math.max(1_000, allowed.untilEpochMs - Date.now()));
      if (run.stop !== undefined) return finish(run, run.stop.outcome, run.stop.detail);
    }
    const sent = await sendText(
      run,
      'sms.callback.apology',
      {},
      `${run.keyPrefix}/sms/apology`,
      callerContactAt(run),
    );
    return finish(
      run,
      sent ? 'sms-sent' : 'not-allowed',
      sent ? decision.message : 'The apology SMS could not be sent.',
    );
  }
  await rescore(run);

  // 2. Acknowledge (abandons only: a scheduled callback was asked for by the customer or an agent).
  if (request.origin === 'abandon') {
    // The acknowledgement goes beside the wait: an SMS outage must not hold up the call.
    const acknowledge = await acknowledgement(run);
    if (life) run.acknowledging = acknowledge();
    else await acknowledge();
  }
  return undefined;
}

/**
 * Estimates when the customer will be called, and returns the sending of the acknowledgement SMS
 * that says so: when the contact policy allows it, and only while it still comes before the call.
 */
async function acknowledgement(run: CallbackRun): Promise<() => Promise<void>> {
  const { request } = run;
  const window = await askWindow(run);
  const dueMs = Math.max(
    window.verdict === 'not-yet' ? window.untilEpochMs : Date.now(),
    request.notBefore !== undefined ? Date.parse(request.notBefore) : 0,
  );
  const estimate = (dueAt: number) =>
    run.local.estimateCallback({
      now: workflowNow(),
      dueAt: new Date(dueAt).toISOString(),
      timeZone: request.timeZone ?? (window.timeZones.length === 1 ? window.timeZones[0] : undefined),
      locale: run.locale,
    });
  const eta = await estimate(dueMs);
  return async (): Promise<void> => {
    let etaText = eta.text;
    // Estimates recorded by an older build carry no promisedBy.
    let etaPromisedBy: string | undefined = eta.promisedBy;
    while (run.patches.replyPolicy) {
      const allowed = await askReply(run);
      if (allowed.verdict === 'allowed') break;
      if (allowed.verdict === 'never') {
        run.note('ack-not-sent', `No acknowledgement SMS (${allowed.reason}): ${allowed.message}`);
        return;
      }
      // A late acknowledgement waits for the window, but only while it still comes before the call:
      // an SMS seconds before the phone rings adds nothing.
      const callDueMs = run.dueAtMs ?? dueMs;
      if (allowed.untilEpochMs >= callDueMs) {
        run.note(
          'ack-dropped',
          `No acknowledgement SMS: ${allowed.message} The callback is due by then, so the call answers the customer.`,
        );
        return;
      }
      run.note('ack-deferred', `The acknowledgement SMS waits (${allowed.reason}): ${allowed.message}`);
      const movedOn = () =>
        run.stop !== undefined ||
        run.closing ||
        run.acknowledgementAbandoned ||
        run.dialStarted ||
        run.attempts.length > 0;
      await condition(movedOn, Math.max(1_000, allowed.untilEpochMs - Date.now()));
      if (movedOn()) {
        run.note('ack-dropped', 'No acknowledgement SMS: the callback moved on before a text was allowed.');
        return;
      }
      // "Tomorrow from 08:00" said last night is "from 08:00" this morning.
      const later = await estimate(run.dueAtMs ?? dueMs);
      etaText = later.text;
      etaPromisedBy = later.promisedBy;
    }
    const sent = await sendText(
      run,
      'sms.callback.acknowledged',
      { eta: etaText },
      `${run.keyPrefix}/sms/ack`,
      callerContactAt(run),
    );
    if (sent) {
      run.promisedBy = etaPromisedBy;
      run.note('acknowledged', `Acknowledged by SMS: "we will call you back ${etaText}".`);
    }
  };
}
