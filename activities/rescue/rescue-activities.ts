import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { CallbackRequest } from '../../domain/callbacks';
import type { ContactStore } from '../../store';
import { abandonedCallCallback } from '../../workflows/abandoned-call-callback';
import { callbackRequestedSignal } from '../../workflows/callback-messages';

export interface RescueActivityDeps {
  store: ContactStore;
  /** The Temporal client that starts the callback. @default the worker's client (activity context) */
  temporal?: () => Client;
}

/** What a survey rescue does outside the workflow: record the score, start (or join) the callback. */
export function createRescueActivities(deps: RescueActivityDeps) {
  const temporal = deps.temporal ?? (() => Context.current().client);
  return {
    /** The score against the agent who handled the interaction; once per survey response. */
    async recordAgentScore(input: {
      responseId: string;
      agentId: string;
      type: 'csat' | 'nps';
      score: number;
      at: number;
    }): Promise<boolean> {
      return deps.store.recordAgentScore(input);
    },

    /**
     * The rescue callback: starts the customer's callback run, or joins the one pending (signal-with-
     * start, as the client does for an abandon), on this worker's task queue.
     */
    async requestRescueCallback(input: { workflowId: string; request: CallbackRequest }): Promise<void> {
      await temporal().workflow.signalWithStart(abandonedCallCallback, {
        workflowId: input.workflowId,
        taskQueue: Context.current().info.taskQueue,
        args: [input.request],
        signal: callbackRequestedSignal,
        signalArgs: [input.request],
      });
    },
  };
}

export type RescueActivities = ReturnType<typeof createRescueActivities>;
