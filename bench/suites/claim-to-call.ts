import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { buildApiServer } from '../../api/server';
import { twilioWebhookDeps } from '../../api/twilio-webhook-deps';
import { RecontactClient } from '../../client/recontact-client';
import { loadConfig } from '../../config/config';
import { openServices } from '../../runtime/services';
import { sandboxAuthToken } from '../../runtime/sandbox-credentials';
import { startSandbox } from '../../sandbox';
import { callbackPolicyFile } from '../../test/harness/policy-files';
import { createAllWorkers } from '../../worker/create-worker';
import { type BenchRow, percentile } from '../stats';

const TARGET_P95_MS = 300;

/**
 * Agent claim → provider call request: `count` callbacks wait for an agent; each is claimed through
 * the client (the `claimCallback` update, as the API does), and the time runs until the Twilio
 * sandbox accepts the request that rings the agent. Claims go one after another, with the voice
 * pacing raised, so the figure is the path's latency, not a queue behind the 1 call/s default.
 */
export async function claimToCallSuite(
  client: Client,
  connection: NativeConnection,
  { count }: { count: number },
): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-claim-'));
  const sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 5 });
  const apiPort = 17_300;
  const config = loadConfig({
    TEMPORAL_NAMESPACE: client.options.namespace,
    TEMPORAL_TASK_QUEUE: `bench-claim-${randomUUID()}`,
    DATA_DIR: dataDir,
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
    tokens: ['bench'],
    twilioWebhooks: twilioWebhookDeps(services, client),
    store: services.store,
  });
  await api.listen({ host: '127.0.0.1', port: apiPort });
  const workers = await createAllWorkers({ config, connection, services });
  const running = workers.map((worker) => worker.run());
  try {
    const callbacks: { workflowId: string; agentId: string; phone: string }[] = [];
    for (let index = 0; index < count; index += 1) {
      const agentId = `bench-${index}`;
      const phone = `+1415555${String(3000 + index).padStart(4, '0')}`;
      await services.store.upsertAgent({
        id: agentId,
        name: agentId,
        address: phone,
        skills: ['sales'],
        languages: ['en'],
        presence: 'busy',
        at: Date.now(),
      });
      const { workflowId } = await recontact.callbacks.requestCallback({
        callId: `bench-${randomUUID()}`,
        from: `+1212555${String(4000 + index).padStart(4, '0')}`,
        queue: 'sales',
        waitedSeconds: 60,
        abandonedAt: new Date().toISOString(),
      });
      callbacks.push({ workflowId, agentId, phone });
    }
    for (const { workflowId } of callbacks) {
      for (;;) {
        const status = await recontact.callbacks.status({ workflowId });
        if (status.state === 'waiting-for-agent') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const latencies: number[] = [];
    for (const { workflowId, agentId, phone } of callbacks) {
      const claimedAt = Date.now();
      await recontact.callbacks.claim(
        { workflowId },
        { agentId, name: agentId, skills: ['sales'], languages: ['en'], presence: 'busy' },
      );
      for (;;) {
        const call = sandbox.outbox.listCalls().find((candidate) => candidate.to === phone);
        if (call !== undefined) {
          latencies.push(call.acceptedAt - claimedAt);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    return [
      {
        benchmark: `agent claim → call request, p50 / p95 (${count} claims)`,
        measured: `${p50} ms / ${p95} ms`,
        baseline: `${TARGET_P95_MS} ms target`,
        ratio: `${(p95 / TARGET_P95_MS).toFixed(2)}× of target`,
        target:
          p95 <= TARGET_P95_MS ? `met (p95 ≤ ${TARGET_P95_MS} ms)` : `MISSED (p95 ≤ ${TARGET_P95_MS} ms)`,
      },
    ];
  } finally {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
    await api.close();
    await services.close();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
