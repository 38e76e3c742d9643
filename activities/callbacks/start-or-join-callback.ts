import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { startOrJoinCallback } from '../../services/start-or-join-callback';
import type { CallbackRequest } from '../../domain/callbacks';

/**
 * A callback asked for by another workflow (a survey rescue, an unconfirmed appointment): starts the
 * customer's callback run, or joins the one pending, on this worker's task queue, as the client
 * does for an abandon.
 */
export function createStartOrJoinCallback(deps: { temporal?: () => Client } = {}) {
  const temporal = deps.temporal ?? (() => Context.current().client);
  return async function startOrJoinCallbackActivity(input: {
    workflowId: string;
    request: CallbackRequest;
  }): Promise<void> {
    await startOrJoinCallback(temporal(), { ...input, taskQueue: Context.current().info.taskQueue });
  };
}
