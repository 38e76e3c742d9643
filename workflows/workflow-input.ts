import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';

/**
 * Parses a workflow's input with its zod schema. A bad input is the caller's bug: the run fails at
 * once with `InvalidInput`, naming every field, instead of retrying the workflow task forever.
 */
export function parseWorkflowInput<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  workflow: string,
): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw ApplicationFailure.nonRetryable(`invalid ${workflow} input: ${problems.join('; ')}`, 'InvalidInput');
}
