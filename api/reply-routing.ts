import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { chooseReplyRoute, type ReplyRoute, type ReplyWait } from '../domain/replies/choose-reply-route';
import type { ContactStore } from '../store';

export interface ReplyRoutingDeps {
  store: Pick<ContactStore, 'listReplyWaits' | 'releaseReplyWaits' | 'lastSmsSender'>;
  temporal: Client;
}

/**
 * Which outreach an inbound SMS answers, from the store's waits and Temporal's word on which of
 * them still run. A run that closed (finished, terminated from the UI: no code of its own runs)
 * waits for nothing: its wait is released here.
 */
export async function routeReply(deps: ReplyRoutingDeps, address: string, body: string): Promise<ReplyRoute> {
  const waits: ReplyWait[] = [];
  for (const wait of await deps.store.listReplyWaits(address)) {
    if (await isRunning(deps.temporal, wait.workflowId)) waits.push(wait);
    else await deps.store.releaseReplyWaits(wait.workflowId, address);
  }
  const lastSentBy = await deps.store.lastSmsSender(address);
  return chooseReplyRoute({ body, waits, ...(lastSentBy !== undefined ? { lastSentBy } : {}) });
}

async function isRunning(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    const described = await temporal.workflow.getHandle(workflowId).describe();
    return described.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
