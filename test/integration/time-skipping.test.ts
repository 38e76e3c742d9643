import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { waitThenComplete } from '../workflows/wait-then-complete';
import { createTimeSkippingEnv } from '../harness/temporal';
import { testDataConverter } from '../harness/payload-keys';
import { requiredTestEnv, TEST_ENV } from '../harness/test-env';

describe('the time-skipping test server (JVM, provisioned from Maven Central)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('lets a workflow sleep 30 days without the test waiting for them', async () => {
    const taskQueue = `ts-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
      dataConverter: testDataConverter(),
    });
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    const result = await worker.runUntil(async () => {
      const before = await env.currentTimeMs();
      const outcome = await env.client.workflow.execute(waitThenComplete, {
        taskQueue,
        workflowId: `sleep-30-days-${randomUUID()}`,
        args: [thirtyDays],
      });
      const skipped = (await env.currentTimeMs()) - before;
      return { outcome, skipped };
    });
    expect(result.outcome).toBe(`waited ${thirtyDays} ms`);
    // The server skipped the month (how fast it does so is a benchmark's business, not a test's).
    expect(result.skipped).toBeGreaterThanOrEqual(thirtyDays);
  });

  // The test plays the worker by hand, so the timer can fire while a workflow task is running.
  it('accepts a timer cancelled by the task during which it fired, as the real server does (sdk-java#2606, patched)', async () => {
    const service = env.connection.workflowService;
    const { CommandType, EventType } = temporal.api.enums.v1;
    const namespace = env.namespace ?? 'default';
    const taskQueue = { name: `raw-${randomUUID()}` };
    const workflowId = `timer-cancel-race-${randomUUID()}`;
    const identity = 'timer-cancel-race-test';
    await service.startWorkflowExecution({
      namespace,
      workflowId,
      workflowType: { name: 'raceByHand' },
      taskQueue,
      workflowTaskTimeout: msToTs('1 minute'),
      requestId: randomUUID(),
    });
    const signal = () =>
      service.signalWorkflowExecution({
        namespace,
        workflowExecution: { workflowId },
        signalName: 'satisfied',
        identity,
        requestId: randomUUID(),
      });
    /** Takes the next task, holds it `holdMs` (the server's clock moves on at real time meanwhile), answers it. */
    const completeTask = async (commands: temporal.api.command.v1.ICommand[], holdMs = 0) => {
      const task = await service.pollWorkflowTaskQueue({ namespace, taskQueue, identity });
      expect(task.taskToken?.length).toBeGreaterThan(0);
      await delay(holdMs);
      await service.respondWorkflowTaskCompleted({
        namespace,
        identity,
        taskToken: task.taskToken,
        commands,
      });
    };
    const complete = {
      commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
      completeWorkflowExecutionCommandAttributes: {},
    };

    // First task: a one-second timer (a `condition(…, '1s')`).
    await completeTask([
      {
        commandType: CommandType.COMMAND_TYPE_START_TIMER,
        startTimerCommandAttributes: { timerId: 'wait', startToFireTimeout: msToTs('1s') },
      },
    ]);
    // A signal satisfies the condition; the timer fires while that task runs; the task cancels it.
    await signal();
    const cancel = {
      commandType: CommandType.COMMAND_TYPE_CANCEL_TIMER,
      cancelTimerCommandAttributes: { timerId: 'wait' },
    };
    await completeTask([cancel], 2_000);
    await signal();
    await completeTask([complete]);

    // As on the real server: the timer is cancelled, never fired, and the run completed.
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const types = (history.events ?? []).map((event) => event.eventType);
    expect(types).toContain(EventType.EVENT_TYPE_TIMER_CANCELED);
    expect(types).not.toContain(EventType.EVENT_TYPE_TIMER_FIRED);
    expect(types[types.length - 1]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    // And the task gave back its time-skipping lock: a day passes without a day's wait.
    const before = Date.now();
    await env.sleep(24 * 60 * 60 * 1000);
    expect(Date.now() - before).toBeLessThan(10_000);
  });
});
