import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../api/server';
import { twilioWebhookDeps } from '../../api/twilio-webhook-deps';
import { RecontactClient } from '../../client/recontact-client';
import { type Config, loadConfig } from '../../config/config';
import { openServices, type Services } from '../../runtime/services';
import { sandboxAuthToken } from '../../runtime/sandbox-credentials';
import { startSandbox, type TwilioSandbox } from '../../sandbox';
import { callbackPolicyFile } from '../../test/harness/policy-files';
import { createAllWorkers } from '../../worker/create-worker';
import { pool } from '../stats';
import { BENCH_PAYLOAD_KEYS } from '../payload-keys';

/** The API token the benchmark's HTTP calls use. */
export const BENCH_API_TOKEN = 'bench';

export interface BenchCallbackStack {
  config: Config;
  services: Services;
  sandbox: TwilioSandbox;
  recontact: RecontactClient;
  api: FastifyInstance;
  stop(): Promise<void>;
}

/**
 * Recontact's callback side as `npm start` assembles it, for a benchmark: the Twilio sandbox, a SQLite
 * contact store, the HTTP API (with the callback dispatcher's presence hook) and the workers, on the
 * benchmark's dev server and its own task queue. Pacing is raised so provider limits do not queue the
 * path being measured; contact is allowed at any hour.
 */
export async function startBenchCallbackStack(
  client: Client,
  connection: NativeConnection,
  { name, apiPort }: { name: string; apiPort: number },
): Promise<BenchCallbackStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `recontact-bench-${name}-`));
  const sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 5 });
  const config = loadConfig({
    TEMPORAL_NAMESPACE: client.options.namespace,
    TEMPORAL_TASK_QUEUE: `bench-${name}-${randomUUID()}`,
    DATA_DIR: dataDir,
    PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS,
    API_PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    PACING_VOICE_PER_SECOND: '100',
    PACING_SMS_PER_SECOND: '100',
    CONTACT_POLICY_FILE: callbackPolicyFile(dataDir, 'round-the-clock'),
  });
  const services = await openServices(config, {
    sandboxUrl: sandbox.url,
    smtpUrl: `smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`,
  });
  sandbox.setInboundSmsUrl(`${config.PUBLIC_URL}/webhooks/twilio/sms`);
  const recontact = new RecontactClient(client, config.TEMPORAL_TASK_QUEUE, {
    customerKeySecret: services.customerKeySecret,
  });
  const api = await buildApiServer({
    client: recontact,
    tokens: [BENCH_API_TOKEN],
    twilioWebhooks: twilioWebhookDeps(services, client),
    store: services.store,
    callbackDispatch: { offerMs: config.CALLBACK_OFFER_SECONDS * 1_000 },
  });
  await api.listen({ host: '127.0.0.1', port: apiPort });
  const workers = await createAllWorkers({ config, connection, services });
  const running = workers.map((worker) => worker.run());
  return {
    config,
    services,
    sandbox,
    recontact,
    api,
    async stop() {
      await api.close();
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
      await services.close();
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Until the sandbox has had nothing new (messages, statuses) for three seconds. */
export async function sandboxSettled(stack: BenchCallbackStack): Promise<void> {
  const state = () =>
    stack.sandbox.outbox
      .listMessages()
      .map((message) => message.status)
      .join();
  let last = state();
  let quietSince = Date.now();
  while (Date.now() - quietSince < 3_000) {
    await sleep(500);
    const now = state();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

/**
 * Starts `count` abandoned-call callbacks (numbers from `firstNumber` on, 20 at a time) and waits
 * until every one started so far is in the agent queue.
 */
export async function startWaitingCallbacks(
  stack: BenchCallbackStack,
  count: number,
  started: string[],
  firstNumber: number,
): Promise<void> {
  const offset = started.length;
  await pool(count, 20, async (index) => {
    const { workflowId } = await stack.recontact.callbacks.requestCallback({
      callId: `bench-${randomUUID()}`,
      from: `+1212${String(firstNumber + offset + index).padStart(7, '0')}`,
      queue: 'sales',
      waitedSeconds: 60,
      abandonedAt: new Date().toISOString(),
    });
    started.push(workflowId);
  });
  for (;;) {
    const queued = await stack.services.store.listCallbackQueue();
    if (queued.length >= started.length) return;
    await sleep(250);
  }
}
