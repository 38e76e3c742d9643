import type { Client } from '@temporalio/client';
import type { CallbackRequest } from '../domain/callbacks';
import { callbackRequestedSignal } from '../workflows/callback-messages';

/**
 * The callback workflow's type name. Started by name, so the client and the activities that start
 * callbacks never import the workflow's code (and activities → workflow → activities is no cycle).
 */
export const CALLBACK_WORKFLOW_TYPE = 'abandonedCallCallback';

/** The callback workflow as its starters see it: one request in. */
type CallbackWorkflow = (request: CallbackRequest) => Promise<unknown>;

/**
 * Starts the customer's callback run, or joins the one pending (signal-with-start): an abandon,
 * a scheduled callback, a rescue, an unconfirmed appointment. The one place a callback starts, for
 * the client and for the activity other workflows ask it of (a service module: activities do not
 * import client/).
 */
export async function startOrJoinCallback(
  temporal: Client,
  input: { workflowId: string; taskQueue: string; request: CallbackRequest },
): Promise<void> {
  await temporal.workflow.signalWithStart<CallbackWorkflow, [CallbackRequest]>(CALLBACK_WORKFLOW_TYPE, {
    workflowId: input.workflowId,
    taskQueue: input.taskQueue,
    args: [input.request],
    signal: callbackRequestedSignal,
    signalArgs: [input.request],
  });
}
