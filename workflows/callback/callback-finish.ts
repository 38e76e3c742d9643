import {
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import type { CallbackRequest, CallbackRequestInput } from '../../domain/callbacks/callback-request';
import type { AttemptSummary, CallbackOutcome } from '../callback-messages';
import { runReports } from '../activity-proxies';
import { showRun } from '../run-state';
import { searchAttributes } from '../search-attributes';
import type { CallbackRun } from './callback-run';
import { leaveQueue } from './callback-steps';

export interface CallbackResult {
  outcome: CallbackOutcome;
  detail: string;
  attempts: AttemptSummary[];
  agentId?: string;
}

/** The callback workflow's signature, for continue-as-new from its steps (abandoned-call-callback.ts has it). */
export type CallbackWorkflow = (request: CallbackRequestInput) => Promise<CallbackResult>;

/** The finished run's row for the KPIs; a store that cannot take it must not keep the callback open. */
async function recordRun(run: CallbackRun, result: CallbackOutcome): Promise<void> {
  const { request, claim, promisedBy, decided } = run;
  try {
    await runReports.recordCallbackRun({
      workflowId: run.workflowId,
      runId: workflowInfo().runId,
      customerKey: request.customerKey,
      closedAtMs: Date.now(),
      outcome: result,
      requestedAt: request.requestedAt,
      ...(claim !== undefined ? { agentId: claim.agentId } : {}),
      ...(request.tenant !== undefined ? { tenant: request.tenant } : {}),
      ...(promisedBy !== undefined ? { promisedBy } : {}),
      ...(decided !== undefined ? { decision: decided } : {}),
      context: {
        origin: request.origin,
        queue: request.queue,
        skill: run.skill,
        abandonCount: request.abandonCount,
      },
      attempts: run.attempts,
      timeline: run.timeline.entries,
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    run.note('kpi-not-recorded', 'The finished callback could not be recorded for the reports.');
  }
}

/**
 * Ends the run with `result`: frees its agent and queue entry, shows the outcome, records the KPI
 * row; a request that arrived while it closed continues as a callback of its own.
 */
export async function finish(
  run: CallbackRun,
  result: CallbackOutcome,
  text: string,
): Promise<CallbackResult> {
  const { life, releasesReplies } = run.patches;
  if (life) run.closing = true;
  await run.acknowledging;
  await leaveQueue(run);
  if (releasesReplies) await run.queue.releaseReplyWaits({ workflowId: run.workflowId });
  // An offer's release may still be running in its signal handler.
  if (life) await condition(allHandlersFinished);
  run.outcome = result;
  run.state = 'done';
  run.note(result, text);
  showRun(
    [
      { key: searchAttributes.State, value: 'done' },
      { key: searchAttributes.Outcome, value: result },
      { key: searchAttributes.Attempts, value: run.attempts.length },
    ],
    run.summary(),
  );
  // Asked before the desk write below: a patch marker must follow the same commands on replay, and
  // the desk's local activity may complete before or after it (released runs recorded it here).
  const recordsRun = patched('record-callback-run');
  // Awaited: an activity still pending when the run closes never runs.
  await run.publishToDesk();
  if (recordsRun) await recordRun(run, result);
  const next = run.lateRequests[0];
  if (next !== undefined) {
    // A new abandon arrived while this callback was closing: it gets a callback of its own.
    await continueAsNew<CallbackWorkflow>({
      ...next,
      abandonCount: run.lateRequests.reduce((sum, late) => sum + late.abandonCount, 0),
    });
  }
  return {
    outcome: result,
    detail: text,
    attempts: [...run.attempts],
    ...(run.claim ? { agentId: run.claim.agentId } : {}),
  };
}

/** Continues as new while waiting, carrying what the next run needs: no history grows without bound. */
export async function continueWaiting(run: CallbackRun): Promise<never> {
  run.acknowledgementAbandoned = true;
  await run.acknowledging;
  await leaveQueue(run);
  await condition(allHandlersFinished);
  run.note('continued', 'This callback continues in a new run (its history is kept short).');
  const { expiresAtMs, dueAtMs, preferred } = run;
  const next: CallbackRequest = {
    ...run.request,
    carried: {
      runs: (run.carried?.runs ?? 0) + 1,
      skill: run.skill,
      expiresAtMs: expiresAtMs ?? Date.now(),
      ...(dueAtMs !== undefined ? { dueAtMs } : {}),
      attempts: run.attempts,
      ladder: run.ladder,
      channelsTried: run.channelsTried,
      declinedAgentIds: [...run.declined],
      ...(preferred !== undefined ? { preferred } : {}),
      requestIds: [...run.requestIds].slice(-200),
      // A callback's entries always name their state and detail.
      timeline: run.timeline.entries.slice(-50).map(({ state, detail, ...entry }) => ({
        ...entry,
        state: state ?? run.state,
        detail: detail ?? '',
      })),
    },
  };
  return continueAsNew<CallbackWorkflow>(next);
}
