import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { CallbackRequest } from '../../domain/callbacks';
import { abandonedCallCallback } from '../../workflows/abandoned-call-callback';
import { callbackRequestedSignal } from '../../workflows/callback-messages';

/**
 * A callback asked for by another workflow (a survey rescue, an unconfirmed appointment): starts the
 * customer's callback run, or joins the one pending (signal-with-start, as the client does for an
 * abandon), on this worker's task queue.
 */
export function createStartOrJoinCallback(deps: { temporal?: () => Client } = {}) {
  const temporal = deps.temporal ?? (() => Context.current().client);
  return async function startOrJoinCallback(input: {
    workflowId: string;
    request: CallbackRequest;
  }): Promise<void> {
    await temporal().workflow.signalWithStart(abandonedCallCallback, {
      workflowId: input.workflowId,
      taskQueue: Context.current().info.taskQueue,
      args: [input.request],
      signal: callbackRequestedSignal,
      signalArgs: [input.request],
    });
  };
}
