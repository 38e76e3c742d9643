import { requestDispatch } from '../../../services/callback-dispatcher';
import { callbackDispatcherId, dispatchNeededSignal } from '../../../workflows/callback-messages';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { eventually } from '../../harness/temporal';

/**
 * The task queue's one dispatcher gives its workflow task a minute, in its first run and in every
 * run after a continue-as-new: under a burst of starts its task is replayed from the start on a busy
 * worker, and Temporal's 10 s made each attempt time out (issue 14, the 5,000-callback benchmark).
 * Evidence: what the Temporal server says of each run.
 */
describe('the callback dispatcher (shared dev server)', () => {
  let stack: CallbackStack;
  beforeAll(async () => {
    stack = await startCallbackStack(undefined);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const timeoutSeconds = (description: { raw: { executionConfig?: unknown } }) =>
    String(
      (description.raw.executionConfig as { defaultWorkflowTaskTimeout?: { seconds?: unknown } } | undefined)
        ?.defaultWorkflowTaskTimeout?.seconds,
    );

  it('starts with a one-minute workflow task timeout', async () => {
    const taskQueue = stack.config.TEMPORAL_TASK_QUEUE;
    await requestDispatch(stack.temporal, taskQueue);
    const started = await stack.temporal.workflow.getHandle(callbackDispatcherId(taskQueue)).describe();
    expect(timeoutSeconds(started)).toBe('60');
  });

  it('gives a dispatcher started with the 10 s default the minute when it continues as new', async () => {
    // Started as clients before this change started it (beside the test queue's own dispatcher).
    const older = await stack.temporal.workflow.signalWithStart('callbackDispatcher', {
      workflowId: `${callbackDispatcherId(stack.config.TEMPORAL_TASK_QUEUE)}-older`,
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      args: [{}],
      signal: dispatchNeededSignal,
      signalArgs: [],
    });
    const first = await older.describe();
    expect(timeoutSeconds(first)).toBe('10');

    // More signals than the 1,000 events after which a run continues as new.
    for (let sent = 0; sent < 1_100; sent += 100) {
      await Promise.all(Array.from({ length: 100 }, () => older.signal(dispatchNeededSignal)));
    }
    const next = await eventually(async () => {
      const latest = await stack.temporal.workflow.getHandle(older.workflowId).describe();
      return latest.runId !== first.runId && latest.status.name === 'RUNNING' ? latest : undefined;
    }, 60_000);
    expect(timeoutSeconds(next)).toBe('60');
    const previous = await stack.temporal.workflow.getHandle(older.workflowId, first.runId).describe();
    expect(previous.status.name).toBe('CONTINUED_AS_NEW');
  }, 120_000);
});
