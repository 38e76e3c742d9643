import {
  CancellationScope,
  isCancellation,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CallbackRequestInput } from '../domain/callbacks/callback-request';
import { searchAttributes } from './search-attributes';
import { parseWorkflowInput } from './workflow-input';
import { attemptKeyPrefix } from './attempt-keys';
import { askPatches } from './callback/callback-patches';
import { begin } from './callback/callback-begin';
import { continueWaiting, finish, type CallbackResult } from './callback/callback-finish';
import { wireCallbackHandlers } from './callback/callback-handlers';
import { CallbackRun } from './callback/callback-run';
import { applyLater, askWindow, leaveQueue, sleepUnlessChanged } from './callback/callback-steps';
import { dialAttempt } from './callback/dial-attempt';
import { findAgent } from './callback/find-agent';

export type { CallbackResult } from './callback/callback-finish';

/**
 * A waiting run continues as new past this many history events, carrying its state: Temporal's
 * limit is 51,200 events, and a callback may wait for weeks. One cycle of waiting adds well under
 * 100 events, so no run's history passes CALLBACK_HISTORY_BOUND.
 */
const CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;
export const CALLBACK_HISTORY_BOUND = 2_500;

/**
 * One pending callback per customer number: decides whether the abandon deserves one, acknowledges
 * it, waits for a time the contact policy allows, offers it to exactly one available agent with the
 * skill (the customer's previous agent first), dials agent-first, retries per the ladder, falls
 * back to SMS and records the outcome. Every step is on the timeline query and the search
 * attributes, so supervisors see why it did what it did.
 *
 * The promise about cancelling: once `customerReachedUs` or `cancelCallback` has answered with
 * `dialStarted: false`, this run never requests a call. The flag is read and the call requested in
 * one synchronous step of the workflow, and handlers run between steps, never inside one.
 *
 * The run's state is a `CallbackRun` (workflows/callback/callback-run.ts); its handlers are wired in
 * callback-handlers.ts; the steps below are in workflows/callback/, one file each.
 */
export async function abandonedCallCallback(rawRequest: CallbackRequestInput): Promise<CallbackResult> {
  const first = await parseWorkflowInput('abandonedCallCallback', rawRequest, () => {
    // In the order CallbackRun asks them.
    attemptKeyPrefix();
    askPatches();
  });
  const run = new CallbackRun(first);
  wireCallbackHandlers(run);
  const { request } = run;
  const { life } = run.patches;

  // 1. Decide.
  upsertSearchAttributes([
    { key: searchAttributes.Kind, value: 'callback' },
    { key: searchAttributes.Customer, value: request.customerKey },
    { key: searchAttributes.Queue, value: request.queue },
    { key: searchAttributes.Skill, value: run.skill },
    { key: searchAttributes.State, value: run.carried !== undefined ? 'waiting-for-agent' : 'deciding' },
    { key: searchAttributes.RequestedAt, value: new Date(request.requestedAt) },
    ...(request.tenant !== undefined ? [{ key: searchAttributes.Tenant, value: request.tenant }] : []),
  ]);

  // Whatever ends the run — an outcome, a failure, a cancel from the Temporal UI — its agent and
  // queue entry are released. (A terminated run runs no code: the dispatcher's reaper frees it.)
  try {
    return (await begin(run)) ?? (await serve(run));
  } catch (error) {
    if (life && isCancellation(error)) {
      upsertSearchAttributes([
        { key: searchAttributes.State, value: 'done' },
        { key: searchAttributes.Outcome, value: 'cancelled' },
      ]);
    }
    throw error;
  } finally {
    if (life && (run.inQueue || run.claim !== undefined || run.offer !== undefined)) {
      await CancellationScope.nonCancellable(() => run.queue.leaveAgentQueue({ workflowId: run.workflowId }));
    }
  }
}

/** 3. Until the customer is reached, the callback is stopped, or it expires. */
async function serve(run: CallbackRun): Promise<CallbackResult> {
  const { request } = run;
  const { life } = run.patches;
  for (;;) {
    run.changed = false;
    if (run.stop !== undefined) return finish(run, run.stop.outcome, run.stop.detail);
    // An agent's claim accepted just before the expiry is honoured: they are waiting to talk.
    if (Date.now() >= (run.expiresAtMs ?? 0) && (run.claim === undefined || !life))
      return finish(run, 'expired', 'The callback expired before anyone reached the customer.');
    if (life && run.lateRequests.length > 0 && run.claim === undefined) {
      // Requests that arrived during the last call: the ladder goes on, so they are merged now.
      for (const late of run.lateRequests.splice(0)) run.mergeRequest(late);
    }
    if (life && run.claim === undefined && run.offer === undefined && historyIsLong()) {
      return continueWaiting(run);
    }
    if (run.laterAt !== undefined) {
      const wanted = run.laterAt;
      run.laterAt = undefined;
      await applyLater(run, wanted);
    }
    const expiresAt = run.expiresAtMs ?? Date.now();
    // 3a. Wait for a time the contact policy allows (calling window, centre hours, caps).
    const notBeforeMs = request.notBefore !== undefined ? Date.parse(request.notBefore) : 0;
    const window = await askWindow(run);
    if (window.verdict === 'never') return finish(run, 'not-allowed', `${window.reason}: ${window.message}`);
    const allowedFrom = Math.max(
      window.verdict === 'not-yet' ? window.untilEpochMs : Date.now(),
      notBeforeMs,
    );
    if (allowedFrom > Date.now()) {
      await leaveQueue(run);
      run.dueAtMs = allowedFrom;
      if (allowedFrom > expiresAt) {
        run.enter(
          'scheduled',
          'expires-first',
          `The next allowed time is after the callback expires: ${window.message}`,
        );
        await sleepUnlessChanged(run, expiresAt - Date.now());
        continue;
      }
      const wait =
        window.verdict === 'not-yet' && window.untilEpochMs >= notBeforeMs
          ? window.message
          : 'A later time was asked for.';
      run.enter(
        run.ladder.length > 0 ? 'retry-wait' : 'scheduled',
        'scheduled',
        `Due at ${new Date(allowedFrom).toISOString()}: ${wait}`,
      );
      await sleepUnlessChanged(run, allowedFrom - Date.now());
      continue;
    }

    // 3b–3c. Due: an agent claims it (offered by the dispatcher, or from the desk).
    if (!(await findAgent(run, window, expiresAt)) || run.claim === undefined) continue;
    // 3d–3e. Claimed: dial agent-first; what follows the call.
    const result = await dialAttempt(run, run.claim, expiresAt);
    if (result !== undefined) return result;
  }
}

/** The history is long enough to continue as new (or the server suggests it). */
function historyIsLong(): boolean {
  return workflowInfo().historyLength > CONTINUE_AS_NEW_AFTER_EVENTS || workflowInfo().continueAsNewSuggested;
}
