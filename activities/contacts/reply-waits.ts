import { z } from 'zod';
import type { ContactStore } from '../../store';

export const releaseReplyWaitsInputSchema = z.object({ workflowId: z.string().min(1).max(1000) });
export type ReleaseReplyWaitsInput = z.input<typeof releaseReplyWaitsInputSchema>;

/**
 * An outreach that finishes waits for no answer: its reply waits are released so that a later
 * reply is not weighed against it (api/reply-routing.ts also drops the waits of closed runs, for
 * runs that end without running code of their own, e.g. terminated from the UI).
 */
export function createReplyWaitActivities(deps: { store: Pick<ContactStore, 'releaseReplyWaits'> }) {
  return {
    async releaseReplyWaits(input: ReleaseReplyWaitsInput): Promise<void> {
      const { workflowId } = releaseReplyWaitsInputSchema.parse(input);
      await deps.store.releaseReplyWaits(workflowId);
    },
  };
}
