import { patched, workflowInfo } from '@temporalio/workflow';

/**
 * The patch behind run-scoped attempt keys. One id for every workflow: a patch marker belongs to
 * one history, so sharing the name couples nothing.
 */
export const RUN_ATTEMPT_KEYS_PATCH = 'attempt-keys-per-run';

/**
 * The start of every send or call attempt key this run makes: `${workflowId}/${runId}`.
 *
 * A workflow id outlives its runs (signal-with-start after the previous run closed, continue-as-new,
 * a reset), so a key built from the id alone repeats, and the idempotent send returns the earlier
 * run's SID and sends nothing. The run id makes the key unique per run; it stays stable across
 * activity retries within the run. A chain that must keep one key across continue-as-new carries
 * the prefix in its input instead of calling this again.
 *
 * Runs that started before the patch keep the bare `${workflowId}`: a send already made under the
 * old key must still be found (and its status callbacks matched) when the run replays.
 *
 * @example
 * const attemptKey = `${attemptKeyPrefix()}/sms/1`;
 */
export function attemptKeyPrefix(): string {
  return patched(RUN_ATTEMPT_KEYS_PATCH) ? runAttemptKeyPrefix() : workflowInfo().workflowId;
}

/**
 * `${workflowId}/${runId}` without asking the patch: for a run whose own later patch (decided at its
 * start) implies it, so its sends record no second marker (and no TemporalChangeVersion update).
 */
export function runAttemptKeyPrefix(): string {
  const { workflowId, runId } = workflowInfo();
  return `${workflowId}/${runId}`;
}
