import { condition, patched } from '@temporalio/workflow';
import { callResult, type CallResult } from '../../domain/callbacks/call-result';
import { activityFailure } from '../activity-failure';
import type { DeliveryStatus } from '../channel-signals';
import type { CallbackRun } from './callback-run';
import { PROVIDER_PARK_MS } from './callback-steps';

/** How long a call may ring (agent, then customer) without a person answering or a final report. */
const CALL_REPORT_TIMEOUT_MS = 15 * 60_000;
/** A live conversation has no time limit; this often the run asks the provider whether it still goes on. */
const CONVERSATION_CHECK_MS = 60 * 60_000;

/** How a placed call ended, and the provider's reports of it. */
export interface FollowedCall {
  ended: CallResult | 'failed';
  reports: () => DeliveryStatus[];
}

/**
 * Follows a placed call to its end through the provider's reports: a conversation as long as it
 * lasts, a call that rings without a report or rings on after a stop is ended (asked of the provider).
 */
export async function followCall(
  run: CallbackRun,
  agentId: string,
  attemptKey: string,
  callSid: string,
): Promise<FollowedCall> {
  const { life } = run.patches;
  const reportsOf = (): DeliveryStatus[] => run.callReports.get(attemptKey) ?? [];
  /** A person (not a machine) answered the customer leg: the conversation has begun. */
  const personAnswered = (): boolean =>
    life &&
    reportsOf().some(
      (report) =>
        report.status === 'customer-answered' &&
        !(report.answeredBy ?? '').startsWith('machine') &&
        report.answeredBy !== 'fax',
    );
  let result: CallResult | undefined;
  /** The call's final report has come (and is in `result`). */
  const finalReport = (): boolean => (result = callResult(reportsOf())) !== undefined;
  await condition(() => {
    result = callResult(reportsOf());
    return result !== undefined || run.stop !== undefined || personAnswered();
  }, CALL_REPORT_TIMEOUT_MS);
  // Connected the moment the customer answers: a conversation has no time limit, and the
  // system never ends one (a cancel or "reached us" now is answered `stopped: false`).
  const converse = async (): Promise<void> => {
    run.enter('on-call', 'connected', `Agent ${agentId} is talking with the customer.`, agentId);
    await run.queue.recordCustomerOwner({ customerKey: run.request.customerKey, agentId });
    while (result === undefined) {
      const reported = await condition(
        () => (result = callResult(reportsOf())) !== undefined,
        CONVERSATION_CHECK_MS,
      );
      if (reported) continue;
      // A provider that cannot be reached (an outage) is no answer: the conversation goes on.
      const status = await askProvider(run, () => run.voice.callStatus(callSid));
      if (status !== undefined && !['queued', 'ringing', 'in-progress'].includes(status)) {
        // The call is over but its final report was lost: it was a conversation all the same.
        result = 'connected';
      }
    }
  };
  if (result === undefined && personAnswered()) await converse();
  if (result === undefined && run.stop === undefined && life && patched('call-report-timeout')) {
    // No report for the whole ringing time (our webhooks unreachable, the provider holding the
    // call in its queue): the provider says what became of the call instead of a guess. A live
    // conversation goes on; anything else is ended, so no call of this attempt rings on after
    // the run has moved to the next attempt.
    const endedAs = await endCallWhenReachable(run, callSid, finalReport);
    if (endedAs === 'in-conversation') {
      run.note('report-lost', 'No report came for the call, but the customer is talking with the agent.');
      await converse();
    } else {
      run.note(
        'call-ended',
        `No report came for the call in ${CALL_REPORT_TIMEOUT_MS / 60_000} minutes; it was ended.`,
      );
      await condition(() => (result = callResult(reportsOf())) !== undefined, '1m');
    }
  }
  if (result === undefined && run.stop !== undefined) {
    const endedAs = life
      ? await endCallWhenReachable(run, callSid, finalReport)
      : await run.voice.endCall(callSid);
    if (life && endedAs === 'in-conversation') {
      // The customer picked up as the callback was stopped: that conversation goes on.
      run.note('stop-too-late', 'The customer answered as the callback was stopped; the call goes on.');
      await converse();
    } else {
      run.note('call-ended', 'The call was ended: the callback was stopped while it rang.');
      await condition(() => (result = callResult(reportsOf())) !== undefined, '1m');
    }
  }
  return { ended: result ?? 'failed', reports: reportsOf };
}

/**
 * The provider's answer about a call, or undefined while it cannot be reached (an outage that
 * outlasted the activity's retries): the run asks again later rather than fail over it.
 */
async function askProvider<T>(run: CallbackRun, ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (error) {
    if (!run.patches.life || activityFailure(error) === undefined) throw error;
    run.note(
      'provider-unavailable',
      `The voice provider could not be asked about the call: ${(error as Error).message}.`,
    );
    return undefined;
  }
}

/**
 * Ends a call (see `endCall`), asking again every parking period while the provider is down,
 * until it answers or the call's final report arrives (then undefined).
 */
async function endCallWhenReachable(
  run: CallbackRun,
  callSid: string,
  reported: () => boolean,
): Promise<string | undefined> {
  for (;;) {
    const endedAs = await askProvider(run, () => run.voice.endCall(callSid));
    if (endedAs !== undefined) return endedAs;
    if (await condition(reported, PROVIDER_PARK_MS)) return undefined;
  }
}
