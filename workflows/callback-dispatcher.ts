import {
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { dispatchPass } from './activity-proxies';
import { DISPATCHER_TASK_TIMEOUT, dispatchNeededSignal } from './callback-messages';

/** The dispatcher starts afresh after this many events: it lives as long as the deployment. */
const CONTINUE_AS_NEW_AFTER_EVENTS = 1_000;

export interface CallbackDispatcherInput {
  /** A pass is owed (a signal arrived while the previous run was closing). */
  pending?: boolean;
  /** The next pass the previous run had planned by time alone. */
  wakeAtMs?: number;
}

/**
 * The one dispatcher of a task queue: offers waiting callbacks to free agents. It runs a pass when
 * told something changed (`dispatchNeeded`: a callback became due, an agent became available, an
 * offer or a call ended) and when the store says time alone could change an answer (an owner's
 * exclusive wait or an unanswered offer's hold ends), plus a backstop pass every two minutes while
 * anything waits or is held, in case a signal was lost. Waiting callbacks do not poll: the cost of
 * dispatch is one pass per change, not one per waiting callback per period.
 */
export async function callbackDispatcher(input: CallbackDispatcherInput = {}): Promise<void> {
  let owed = input.pending ?? true;
  let wakeAtMs = input.wakeAtMs;
  setHandler(dispatchNeededSignal, () => {
    owed = true;
  });

  for (;;) {
    if (wakeAtMs === undefined) await condition(() => owed);
    else await condition(() => owed, Math.max(1, wakeAtMs - Date.now()));
    owed = false;
    const pass = await dispatchPass.runDispatchPass();
    wakeAtMs = pass.nextPassInMs === undefined ? undefined : Date.now() + pass.nextPassInMs;
    if (
      workflowInfo().historyLength > CONTINUE_AS_NEW_AFTER_EVENTS ||
      workflowInfo().continueAsNewSuggested
    ) {
      await condition(allHandlersFinished);
      // Given again here: a dispatcher started with Temporal's 10 s gets the minute at its next run.
      return makeContinueAsNewFunc<typeof callbackDispatcher>({
        workflowTaskTimeout: DISPATCHER_TASK_TIMEOUT,
      })({
        pending: owed,
        ...(wakeAtMs !== undefined ? { wakeAtMs } : {}),
      });
    }
  }
}
