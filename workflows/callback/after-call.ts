import { condition, continueAsNew } from '@temporalio/workflow';
import type { AttemptOutcome } from '../../domain/policy';
import { finish, type CallbackResult, type CallbackWorkflow } from './callback-finish';
import type { CallbackRun } from './callback-run';
import { agentPhoneFailed, leaveQueue, sendText, workflowNow } from './callback-steps';
import type { FollowedCall } from './follow-call';

/** How long an agent has after a connected call to record a disposition. */
const DISPOSITION_TIMEOUT_MS = 2 * 3_600_000;

/**
 * After a call: records the attempt and decides what follows — the next agent (the agent missed it),
 * the agent's disposition (connected), or the retry ladder (not reached). Returns the run's result
 * when it is over, undefined when the main loop goes on.
 */
export async function afterCall(
  run: CallbackRun,
  call: FollowedCall & { agentId: string; attemptNumber: number },
  expiresAt: number,
): Promise<CallbackResult | undefined> {
  const { attempts } = run;
  const { agentId, attemptNumber, ended } = call;
  const agentLegFailed = call.reports().find((report) => report.status === 'failed');
  if (run.patches.life && ended === 'agent-missed' && agentLegFailed !== undefined) {
    attempts.push({ attempt: attemptNumber, at: new Date().toISOString(), agentId, outcome: 'agent-missed' });
    await agentPhoneFailed(
      run,
      agentId,
      `the call to the agent failed${agentLegFailed.errorCode !== undefined ? ` (error ${agentLegFailed.errorCode})` : ''}`,
    );
    return undefined;
  }
  if (ended === 'agent-missed' || ended === 'ended') {
    attempts.push({ attempt: attemptNumber, at: new Date().toISOString(), agentId, outcome: 'agent-missed' });
    await leaveQueue(run);
    run.declined.add(agentId);
    run.claim = undefined;
    run.note('agent-missed', `Agent ${agentId} did not take the call; the customer was not dialled.`);
    return undefined;
  }

  attempts.push({ attempt: attemptNumber, at: new Date().toISOString(), agentId, outcome: ended });
  if (ended === 'connected') {
    const result = await awaitDisposition(run, agentId, attemptNumber);
    if (result !== undefined) return result;
  }
  return nextAttempt(run, attemptNumber, expiresAt);
}

/** Connected: the agent's disposition ends the callback, schedules a follow-up, or sends it on. */
async function awaitDisposition(
  run: CallbackRun,
  agentId: string,
  attemptNumber: number,
): Promise<CallbackResult | undefined> {
  const { attempts, request } = run;
  if (run.state !== 'on-call') {
    run.enter('on-call', 'connected', `Agent ${agentId} is talking with the customer.`, agentId);
    await run.queue.recordCustomerOwner({ customerKey: request.customerKey, agentId });
  }
  await condition(() => run.disposition !== undefined, DISPOSITION_TIMEOUT_MS);
  const recorded = run.disposition;
  run.disposition = undefined;
  if (recorded === undefined) return finish(run, 'connected', 'Connected; no disposition was recorded.');
  if (recorded.disposition === 'follow-up' && recorded.followUpAt !== undefined) {
    await finish(run, 'follow-up-scheduled', `Connected; follow-up at ${recorded.followUpAt}.`);
    await continueAsNew<CallbackWorkflow>({
      ...request,
      origin: 'follow-up',
      requestId: `${run.keyPrefix}/follow-up/${attemptNumber}`,
      notBefore: recorded.followUpAt,
      requestedAt: new Date().toISOString(),
      previousAgentId: agentId,
      ttlHours: Math.max(1, Math.ceil((Date.parse(recorded.followUpAt) - Date.now()) / 3_600_000) + 24),
    });
  }
  if (recorded.disposition === 'wrong-number')
    return finish(run, 'wrong-number', 'The number does not belong to the customer.');
  if (recorded.disposition === 'resolved' || recorded.disposition === 'not-interested') {
    return finish(run, 'connected', `Connected: ${recorded.disposition}.`);
  }
  // voicemail-left / no-answer: the detection missed it; the ladder goes on.
  attempts[attempts.length - 1] = {
    ...attempts[attempts.length - 1]!,
    outcome: recorded.disposition === 'voicemail-left' ? 'voicemail' : 'no-answer',
  };
  return undefined;
}

/** 3e. Not reached: the retry ladder decides the next attempt, the fallback or giving up. */
async function nextAttempt(
  run: CallbackRun,
  attemptNumber: number,
  expiresAt: number,
): Promise<CallbackResult | undefined> {
  const { attempts, request, channelsTried } = run;
  const last = attempts[attempts.length - 1]!;
  const attemptOutcome: AttemptOutcome =
    last.outcome === 'connected' || last.outcome === 'agent-missed' ? 'failed' : last.outcome;
  if (last.outcome !== attemptOutcome) attempts[attempts.length - 1] = { ...last, outcome: attemptOutcome };
  run.ladder.push({ at: new Date().toISOString(), outcome: attemptOutcome });
  await leaveQueue(run);
  run.claim = undefined;
  run.declined.clear();
  if (!channelsTried.includes('voice')) channelsTried.push('voice');
  const next = await run.local.planRetry({
    now: workflowNow(),
    kind: 'callback',
    channel: 'voice',
    attempts: run.ladder,
    channelsTried,
  });
  run.note(attemptOutcome, `Attempt ${attemptNumber}: ${attemptOutcome}. ${next.message}`);
  if (next.action === 'attempt') {
    request.notBefore = next.notBefore;
    run.dueAtMs = next.notBeforeEpochMs;
    run.enter('retry-wait', 'retry', `Next attempt not before ${next.notBefore}.`);
    return undefined;
  }
  if (next.action === 'fallback' && next.channel === 'sms') {
    channelsTried.push('sms');
    const sent = await sendText(
      run,
      'sms.callback.missed',
      {},
      `${run.keyPrefix}/sms/missed-${attemptNumber}`,
    );
    if (!sent)
      return finish(run, 'unreached', 'Not reached by phone, and the fallback SMS could not be sent.');
    run.reopened = false;
    run.enter('fallback-sent', 'fallback', 'Not reached by phone; an SMS offers a new call (reply 1).');
    await condition(() => run.stop !== undefined || run.reopened, Math.max(1, expiresAt - Date.now()));
    if (run.stop !== undefined) return undefined;
    if (!run.reopened)
      return finish(run, 'expired', 'Not reached by phone, no reply to the SMS before the callback expired.');
    run.ladder = [];
    request.notBefore = undefined;
    run.note('reopened', 'The customer asked for a new call.');
    return undefined;
  }
  return finish(run, 'unreached', next.message);
}
