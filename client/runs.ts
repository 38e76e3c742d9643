import { z } from 'zod';

const keywordValue = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'letters, digits and . _ : @ - only (1–128 characters)');

/** Filter for listing runs; each field becomes one clause of a Temporal visibility query. */
export const runFilterSchema = z.object({
  kind: keywordValue.optional().describe('e.g. callback, reminder, rescue, courtesy, notice, probe'),
  state: keywordValue.optional().describe('e.g. waiting-for-agent'),
  customer: keywordValue.optional().describe('the keyed customer hash shown on a run'),
  skill: keywordValue.optional(),
  open: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .optional()
    .describe('true: running only; false: closed only'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type RunFilter = z.input<typeof runFilterSchema>;

export const runSummarySchema = z.object({
  workflowId: z.string(),
  runId: z.string(),
  type: z.string(),
  status: z.string(),
  startTime: z.string(),
  closeTime: z.string().optional(),
  kind: z.string().optional(),
  state: z.string().optional(),
  outcome: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** Builds the visibility query for a validated filter; values are restricted so they need no escaping. */
export function runFilterQuery(filter: z.output<typeof runFilterSchema>): string {
  const clauses: string[] = [];
  if (filter.kind !== undefined) clauses.push(`Kind = "${filter.kind}"`);
  if (filter.state !== undefined) clauses.push(`State = "${filter.state}"`);
  if (filter.customer !== undefined) clauses.push(`Customer = "${filter.customer}"`);
  if (filter.skill !== undefined) clauses.push(`Skill = "${filter.skill}"`);
  if (filter.open === true) clauses.push(`ExecutionStatus = "Running"`);
  if (filter.open === false) clauses.push(`ExecutionStatus != "Running"`);
  return clauses.join(' AND ');
}
