import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { waitThenComplete } from '../workflows/wait-then-complete';
import { createTimeSkippingEnv } from '../harness/temporal';
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
});
