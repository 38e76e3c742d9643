import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { startDevServer, type RunningDevServer } from '../../runtime/dev-server';
import { createRecontactWorker } from '../../worker/create-worker';
import { waitThenComplete } from '../workflows/wait-then-complete';
import { eventually, freePort, testConfig } from '../harness/temporal';
import { testDataConverter } from '../harness/payload-keys';
import { requiredTestEnv, TEST_ENV } from '../harness/test-env';

describe('durability of the embedded dev server (SQLite file)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-durability-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('completes a workflow whose timer fired while the server was stopped, after a restart', async () => {
    const config = testConfig({ TEMPORAL_NAMESPACE: 'recontact' });
    const port = await freePort();
    const uiPort = await freePort();
    const start = (): Promise<RunningDevServer> =>
      startDevServer({
        cliPath: requiredTestEnv(TEST_ENV.cliPath),
        port,
        uiPort,
        namespace: config.TEMPORAL_NAMESPACE,
        dbFile: path.join(dataDir, 'temporal.sqlite'),
      });
    const workflowId = `durable-${randomUUID()}`;
    const timerMs = 3_000;

    // First life: the workflow starts and its timer is recorded.
    let server = await start();
    await runWorkerWhile(server.address, config, async (client) => {
      const handle = await client.workflow.start(waitThenComplete, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [timerMs],
      });
      await eventually(async () => {
        const history = await handle.fetchHistory();
        return history.events?.some(
          (event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED,
        )
          ? true
          : undefined;
      });
    });
    await server.stop();

    // The timer comes due while nothing runs.
    await new Promise((resolve) => setTimeout(resolve, timerMs + 500));

    // Second life: same file, new processes; the workflow finishes.
    server = await start();
    try {
      const result = await runWorkerWhile(server.address, config, (client) =>
        client.workflow.getHandle(workflowId).result(),
      );
      expect(result).toBe(`waited ${timerMs} ms`);
    } finally {
      await server.stop();
    }
  }, 90_000);
});

async function runWorkerWhile<T>(
  address: string,
  config: ReturnType<typeof testConfig>,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const worker = await createRecontactWorker({
      config,
      connection: nativeConnection,
      workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
    });
    return await worker.runUntil(
      fn(
        new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: testDataConverter() }),
      ),
    );
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}
