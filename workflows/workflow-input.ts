import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import type { ParsedWorkflowInput, WorkflowWithInput } from '../domain/workflow-inputs';
import { localDecisions } from './activity-proxies';

/** Runs that carry this marker had their input parsed by the activity. */
export const INPUT_PARSED_BY_ACTIVITY = 'input-parsed-by-activity';

/**
 * Parses a workflow's input with its zod schema. A bad input is the caller's bug: the run fails at
 * once with `InvalidInput`, naming every field, instead of retrying the workflow task forever.
 *
 * A new run asks the `parseWorkflowInput` local activity: zod and the schemas then live once in
 * the worker, not again in every cached run's module set, and a replay reads the parsed input from
 * the activity's result in the history. Histories recorded before (no marker) parse here as they did, loading the
 * schemas only when that branch runs.
 */
export async function parseWorkflowInput<W extends WorkflowWithInput>(
  workflow: W,
  raw: unknown,
  askPatchesFirst?: () => void,
): Promise<ParsedWorkflowInput<W>> {
  if (!patched(INPUT_PARSED_BY_ACTIVITY)) return parseHere(workflow, raw);
  // The patches the run asks at its start, asked before the local activity: a patch marker recorded
  // right after one made a replay of an evicted run fail ('no corresponding change command', the
  // callback race test; 30f8e40 is the same for the desk write). Asking again later records nothing.
  askPatchesFirst?.();
  try {
    return await localDecisions.parseWorkflowInput(workflow, raw);
  } catch (error) {
    // The run fails as before: with the activity's `InvalidInput`, not an activity failure around it.
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
      if (error.cause.type === 'InvalidInput')
        throw ApplicationFailure.nonRetryable(error.cause.message, 'InvalidInput');
    }
    throw error;
  }
}

function parseHere<W extends WorkflowWithInput>(workflow: W, raw: unknown): ParsedWorkflowInput<W> {
  // A `require` inside the function: webpack bundles the module but evaluates it (and zod) only here.
  const { checkWorkflowInput } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../domain/workflow-inputs') as typeof import('../domain/workflow-inputs');
  const checked = checkWorkflowInput(workflow, raw);
  if (checked.ok) return checked.input;
  throw ApplicationFailure.nonRetryable(checked.message, 'InvalidInput');
}
