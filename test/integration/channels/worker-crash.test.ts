import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { channelTaskQueue } from '../../../domain/channels';
import { projectRoot } from '../../../runtime/project-paths';
import { sandboxAuthToken } from '../../../runtime/sandbox-credentials';
import { startSandbox, type TwilioSandbox } from '../../../sandbox';
import { createRecontactWorker } from '../../../worker/create-worker';
import { sendSmsOnce } from '../../workflows/channel-probes';
import { connectTestClient, sharedServerAddress, testConfig } from '../../harness/temporal';
import { requiredTestEnv, TEST_ENV, TEST_NAMESPACE } from '../../harness/test-env';
import { TEST_PAYLOAD_KEYS } from '../../harness/payload-keys';

/**
 * A proxy in front of the sandbox that, while `holding`, forwards a message create to the
 * sandbox and never answers the worker: the message exists, the activity never learns its SID.
 */
function startHoldingProxy(
  target: string,
): Promise<{ server: Server; url: string; accepted: Promise<void>; release(): void }> {
  let holding = true;
  let onAccepted: () => void = () => {};
  const accepted = new Promise<void>((resolve) => (onAccepted = resolve));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const upstream = await fetch(`${target}${request.url ?? ''}`, {
          method: request.method,
          headers: Object.fromEntries(
            Object.entries(request.headers).filter(
              (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
            ),
          ),
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        if (holding && request.method === 'POST' && (request.url ?? '').endsWith('/Messages.json')) {
          onAccepted();
          return; // the worker waits for an answer that never comes
        }
        response.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        });
        response.end(body);
      })();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}`, accepted, release: () => (holding = false) });
    }),
  );
}

describe('a worker killed in the middle of a send', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-crash-'));
  let sandbox: TwilioSandbox;
  let temporal: Client;
  const children: ChildProcess[] = [];
  let workflowWorker: Worker;
  let workflowWorkerRun: Promise<void>;
  let connection: NativeConnection;

  beforeAll(async () => {
    sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 5 });
    temporal = await connectTestClient();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    workflowWorker?.shutdown();
    await workflowWorkerRun;
    await connection?.close();
    await temporal.connection.close();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves exactly one message in the outbox after a restart, and the retry returns its SID', async () => {
    const config = testConfig({ DATA_DIR: dataDir, PACING_SMS_PER_SECOND: '50' });
    const proxy = await startHoldingProxy(sandbox.url);
    const childEnv = (sandboxUrl: string): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_NAMESPACE: TEST_NAMESPACE,
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
      DATA_DIR: dataDir,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      PACING_SMS_PER_SECOND: '50',
      WORKER_SHUTDOWN_GRACE_SECONDS: '0',
      RECONTACT_FIXTURE_ADDRESS: sharedServerAddress(),
      RECONTACT_FIXTURE_SANDBOX_URL: sandboxUrl,
      RECONTACT_FIXTURE_SMTP_URL: `smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`,
    });
    const startChild = async (sandboxUrl: string): Promise<ChildProcess> => {
      // tsx as a loader in this very process (not the tsx command, which forks a second
      // process that a SIGKILL to the first would leave running).
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(projectRoot(), 'test', 'fixtures', 'channel-worker-process.ts')],
        { cwd: projectRoot(), env: childEnv(sandboxUrl), stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`worker process exited early with ${code}`)));
      });
      return child;
    };

    connection = await NativeConnection.connect({ address: sharedServerAddress() });
    workflowWorker = await createRecontactWorker({
      config,
      connection,
      workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
    });
    workflowWorkerRun = workflowWorker.run();

    const first = await startChild(proxy.url);
    const to = '+14155550188';
    const handle = await temporal.workflow.start(sendSmsOnce, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `crash-${randomUUID()}`,
      args: [
        channelTaskQueue(config.TEMPORAL_TASK_QUEUE, 'sms'),
        {
          attemptKey: `crash-${randomUUID()}`,
          workflowId: 'crash-test',
          to,
          content: { template: 'sms.help', variables: { company: 'Acme' } },
          customerKey: 'c_crash',
          purpose: 'notice',
          category: 'service',
        },
        3_000,
      ],
    });

    await proxy.accepted;
    first.kill('SIGKILL');
    proxy.release();
    proxy.server.closeAllConnections();
    await startChild(sandbox.url);

    const result = await handle.result();
    const sent = sandbox.outbox.listMessages().filter((message) => message.to === to);
    expect(sent).toHaveLength(1);
    expect(result).toEqual({ sent: true, messageSid: sent[0]?.sid, alreadySent: true });
    proxy.server.close();
  }, 60_000);
});
