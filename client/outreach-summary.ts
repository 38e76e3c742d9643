import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { searchAttributes } from '../workflows/search-attributes';

/** One outreach run as list calls return it: its id, Temporal status and search attributes. */
export const outreachSummarySchema = z.object({
  workflowId: z.string(),
  status: z.string().describe('Temporal status: RUNNING, COMPLETED, TERMINATED, …'),
  state: z.string().optional(),
  outcome: z.string().optional(),
  dueAt: z.string().optional().describe('When the next step is due, ISO'),
});
export type OutreachSummary = z.infer<typeof outreachSummarySchema>;

/** Runs matching a visibility query (built from validated values only), newest first, at most `limit`. */
export async function listOutreach(
  temporal: Client,
  query: string,
  limit: number,
): Promise<OutreachSummary[]> {
  const found: OutreachSummary[] = [];
  for await (const execution of temporal.workflow.list({ query })) {
    const attributes = execution.typedSearchAttributes;
    const state = attributes.get(searchAttributes.State);
    const outcome = attributes.get(searchAttributes.Outcome);
    const dueAt = attributes.get(searchAttributes.DueAt);
    found.push({
      workflowId: execution.workflowId,
      status: execution.status.name,
      ...(state ? { state } : {}),
      ...(outcome ? { outcome } : {}),
      ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
    });
    if (found.length >= limit) break;
  }
  return found;
}
