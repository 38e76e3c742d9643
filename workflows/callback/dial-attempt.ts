import { patched } from '@temporalio/workflow';
import { ChannelFailure } from '../../domain/channel-failures';
import { activityFailure } from '../activity-failure';
import { localDecisions } from '../activity-proxies';
import { isHeld } from '../held-send';
import { afterCall } from './after-call';
import { finish, type CallbackResult } from './callback-finish';
import type { CallbackRun } from './callback-run';
import {
  agentPhoneFailed,
  askWindow,
  leaveQueue,
  PROVIDER_PARK_MS,
  sleepUnlessChanged,
  workflowNow,
} from './callback-steps';
import { followCall } from './follow-call';

/**
 * 3d. Claimed: holds the agent, then dials agent-first and follows the call to its end. Returns the
 * run's result when it is over, undefined when the main loop goes on (the claim was void, the window
 * closed, the provider is down, the next attempt).
 *
 * The cancel promise: the stop flag is read and the call requested in one synchronous step.
 */
export async function dialAttempt(
  run: CallbackRun,
  claimed: { agentId: string; name: string },
  expiresAt: number,
): Promise<CallbackResult | undefined> {
  const { request, workflowId } = run;
  const { life } = run.patches;
  // Everything between the claim and the call request runs in this worker (local activities, in
  // parallel): no task-queue round trip stands between an agent's click and their phone ringing.
  // One gate section: nothing else of the run resumes until all three have answered.
  const [held, plan, recheck] = await run.gate.run(() =>
    Promise.all([
      localDecisions.holdAgentForCall({ workflowId, agentId: claimed.agentId }),
      localDecisions.planRetry({
        now: workflowNow(),
        kind: 'callback',
        channel: 'voice',
        attempts: run.ladder,
        channelsTried: run.channelsTried,
      }),
      askWindow(run, localDecisions),
    ]),
  );
  run.inQueue = false;
  run.offer = undefined;
  if (!held.ok || held.address === undefined) {
    run.note('claim-void', `Agent ${claimed.agentId} is on another callback; the claim is void.`);
    run.claim = undefined;
    run.declined.add(claimed.agentId);
    return undefined;
  }
  run.claim = { agentId: claimed.agentId, name: held.name ?? claimed.name };
  const attemptNumber = run.attempts.length + 1;
  if (run.stop !== undefined || recheck.verdict !== 'allowed' || request.phone === undefined) {
    await leaveQueue(run);
    run.claim = undefined;
    if (run.stop === undefined) run.note('window-closed', `Not dialled: ${recheck.message}`);
    return undefined;
  }
  run.dialStarted = true;
  // One key per call request (a parked or voided placement is not an attempt on the customer, but
  // its key must not be reused: the provider may have taken it).
  run.dials += 1;
  const attemptKey = life ? `${run.keyPrefix}/voice/${run.dials}` : `${workflowId}/voice/${attemptNumber}`;
  const calling = run.voice.placeCall({
    attemptKey,
    workflowId,
    agentPhone: held.address,
    customerPhone: request.phone,
    locale: run.locale,
    onVoicemail: plan.action === 'attempt' && plan.leaveVoicemail ? 'leave-message' : 'hang-up',
    customerKey: request.customerKey,
    purpose: 'callback',
    category: 'service',
    // Asked again right before the call request: the window may close while the agent is held.
    // A claim the run honours at its expiry is dialled: the gate's notAfter gives it a minute.
    check: {
      contact: run.contact,
      ...(run.expiresAtMs !== undefined
        ? {
            notAfter: new Date(
              patched('dial-honoured-claim')
                ? Math.max(run.expiresAtMs, Date.now() + 60_000)
                : run.expiresAtMs,
            ).toISOString(),
          }
        : {}),
    },
  });
  run.enter(
    'dialling',
    'dialling',
    `Calling agent ${claimed.agentId} first, then the customer (attempt ${attemptNumber}).`,
  );
  let callSid: string;
  try {
    const placed = await calling;
    if (isHeld(placed)) {
      // Nothing was dialled: the agent is freed and the callback waits for its window again.
      await leaveQueue(run);
      run.claim = undefined;
      run.note('window-closed', `Not dialled: ${placed.message}`);
      if (placed.verdict === 'never') return finish(run, 'not-allowed', placed.message);
      if (placed.verdict === 'expired') return finish(run, 'expired', placed.message);
      return undefined;
    }
    callSid = placed.callSid;
  } catch (error) {
    const failure = activityFailure(error);
    if (failure === undefined) throw error;
    if (failure.type === ChannelFailure.RecipientOptedOut) {
      return finish(run, 'not-allowed', 'The customer opted out or is on the do-not-contact list.');
    }
    if (life && failure.type === ChannelFailure.InvalidRecipient) {
      // The number Twilio is asked to ring first is the agent's: the customer is dialled
      // later, from TwiML, and a bad customer number shows in the dial result.
      await agentPhoneFailed(run, claimed.agentId, failure.message);
      return undefined;
    }
    if (failure.type === ChannelFailure.InvalidRecipient) {
      run.attempts.push({
        attempt: attemptNumber,
        at: new Date().toISOString(),
        agentId: claimed.agentId,
        outcome: 'invalid',
      });
      return finish(run, 'unreached', `The call could not be placed: ${failure.message}`);
    }
    if (!life) throw error;
    // The provider did not take the call through every retry (an outage, a misconfiguration):
    // the agent is freed and the callback waits and tries again while it lives.
    await leaveQueue(run);
    run.claim = undefined;
    run.note(
      'provider-unavailable',
      `The call could not be placed (${failure.message}); trying again in ${PROVIDER_PARK_MS / 60_000} minutes.`,
    );
    run.enter('scheduled', 'parked', 'Waiting for the voice provider.');
    await sleepUnlessChanged(run, Math.min(PROVIDER_PARK_MS, Math.max(1, expiresAt - Date.now())));
    return undefined;
  }
  const call = await followCall(run, claimed.agentId, attemptKey, callSid);
  return afterCall(run, { agentId: claimed.agentId, attemptNumber, ...call }, expiresAt);
}
