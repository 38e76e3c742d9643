import { ApplicationFailure } from '@temporalio/activity';
import {
  checkWorkflowInput,
  type ParsedWorkflowInput,
  type WorkflowWithInput,
} from '../../domain/workflow-inputs';

/**
 * A new run's input, parsed with its zod schema outside the workflow sandbox (a local activity), so
 * zod and the schemas are not evaluated again for every cached run. A bad input is the caller's bug:
 * `InvalidInput`, not retried, naming every field.
 */
export async function parseWorkflowInput<W extends WorkflowWithInput>(
  workflow: W,
  raw: unknown,
): Promise<ParsedWorkflowInput<W>> {
  const checked = checkWorkflowInput(workflow, raw);
  if (checked.ok) return checked.input;
  throw ApplicationFailure.nonRetryable(checked.message, 'InvalidInput');
}
