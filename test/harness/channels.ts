import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config';
import { RecontactClient } from '../../client/recontact-client';
import { buildApiServer } from '../../api/server';
import { twilioWebhookDeps } from '../../api/twilio-webhook-deps';
import { openServices, SANDBOX_AUTH_TOKEN, type Services } from '../../runtime/services';
import { startSandbox, type TwilioSandbox } from '../../sandbox';
import { createAllWorkers } from '../../worker/create-worker';
import { connectTestClient, freePort, sharedServerAddress, testConfig } from './temporal';
import { requiredTestEnv, TEST_ENV } from './test-env';
import { projectRoot } from '../../runtime/project-paths';
import { DEFAULT_CONTACT_POLICY_FILE } from '../../config/contact-policy';

export interface ChannelStack {
  config: Config;
  sandbox: TwilioSandbox;
  services: Services;
  temporal: Client;
  api: FastifyInstance;
  stop(): Promise<void>;
}

/**
 * Recontact's channel side as `npm start` assembles it, with real parts on loopback: the Twilio
 * sandbox and SMTP sink, a SQLite contact store, the HTTP API with the Twilio webhooks, and the
 * workflow worker plus the paced channel workers on the shared dev server (own task queue).
 */
export async function startChannelStack(
  overrides: Record<string, string> = {},
  /** Another Temporal server (a time-skipping one) instead of the shared dev server; not closed by stop(). */
  target?: { client: Client; connection: NativeConnection },
): Promise<ChannelStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-channels-'));
  const apiPort = await freePort();
  const config = testConfig({
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    PACING_SMS_PER_SECOND: '100',
    PACING_VOICE_PER_SECOND: '100',
    PACING_EMAIL_PER_SECOND: '100',
    CONTACT_POLICY_FILE: roundTheClockPolicyFile(dataDir),
    ...overrides,
  });
  const sandbox = await startSandbox({
    authToken: SANDBOX_AUTH_TOKEN,
    stepDelayMs: 5,
    inboundSmsUrl: `http://127.0.0.1:${apiPort}/webhooks/twilio/sms`,
  });
  const services = await openServices(config, {
    sandboxUrl: sandbox.url,
    smtpUrl: `smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`,
  });
  const temporal = target?.client ?? (await connectTestClient());
  const api = await buildApiServer({
    client: new RecontactClient(temporal, config.TEMPORAL_TASK_QUEUE),
    tokens: ['test-token'],
    twilioWebhooks: twilioWebhookDeps(services, temporal),
    store: services.store,
    customerKeySecret: services.customerKeySecret,
    company: config.COMPANY_NAME,
  });
  await api.listen({ host: '127.0.0.1', port: apiPort });

  const connection =
    target?.connection ?? (await NativeConnection.connect({ address: sharedServerAddress() }));
  const workers = await createAllWorkers({
    config,
    connection,
    services,
    workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
  });
  const running = workers.map((worker) => worker.run());

  return {
    config,
    sandbox,
    services,
    temporal,
    api,
    async stop() {
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
      await api.close();
      if (target === undefined) {
        await connection.close();
        await temporal.connection.close();
      }
      await services.close();
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Contact rules for channel tests: the shipped rules, with US contact allowed around the clock,
 * so a test's outcome never depends on the hour CI runs at. The policy's own tests cover windows.
 */
export function roundTheClockPolicyFile(dir: string): string {
  const rules = JSON.parse(readFileSync(path.join(projectRoot(), DEFAULT_CONTACT_POLICY_FILE), 'utf8')) as {
    countries: Record<string, { windows: unknown[]; closedOnHolidays: boolean }>;
  };
  const us = rules.countries.US;
  if (us === undefined) throw new Error('the shipped rules have no US entry');
  us.windows = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }];
  us.closedOnHolidays = false;
  const file = path.join(dir, 'round-the-clock-rules.json');
  writeFileSync(file, JSON.stringify(rules));
  return file;
}
