import { Context } from '@temporalio/activity';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { codecCorsOrigins, type Config } from '../../config/config';
import { payloadCodecFor } from '../../codec/data-converter';
import { RecontactClient } from '../../client/recontact-client';
import { buildApiServer } from '../../api/server';
import { twilioWebhookDeps } from '../../api/twilio-webhook-deps';
import { openServices, type Services } from '../../runtime/services';
import { sandboxAuthToken } from '../../runtime/sandbox-credentials';
import { startSandbox, type TwilioSandbox } from '../../sandbox';
import { createAllWorkers } from '../../worker/create-worker';
import { connectTestClient, freePort, sharedServerAddress, testConfig } from './temporal';
import { requiredTestEnv, TEST_ENV } from './test-env';
import { roundTheClockPolicyFile } from './policy-files';
import type { HeldSend } from '../../activities/channels/contact-gate';
import { isHeld } from '../../workflows/held-send';

export interface ChannelStack {
  config: Config;
  sandbox: TwilioSandbox;
  services: Services;
  temporal: Client;
  recontact: RecontactClient;
  api: FastifyInstance;
  stop(): Promise<void>;
}

/** Another Temporal than the shared dev server: the time-skipping test server's client and connection. */
export interface TemporalTarget {
  client: Client;
  nativeConnection: NativeConnection;
  namespace: string;
}

/**
 * Recontact's channel side as `npm start` assembles it, with real parts on loopback: the Twilio
 * sandbox and SMTP sink, a SQLite contact store, the HTTP API with the Twilio webhooks, and the
 * workflow worker plus the paced channel workers on the shared dev server (own task queue).
 */
export async function startChannelStack(
  overrides: Record<string, string> = {},
  target?: TemporalTarget,
  options: {
    /** The channel activities' clock for their final contact decision: the time-skipping server's time. */
    channelClock?: () => number;
    /** The API's logger (`npm start` passes api/request-logger.ts's); none by default. */
    apiLogger?: FastifyServerOptions['logger'];
  } = {},
): Promise<ChannelStack> {
  // On a test's own server (time-skipping), the final contact decision reads that server's clock,
  // never the machine's: a test must not depend on the hour it runs at.
  const channelClock = options.channelClock ?? (target !== undefined ? serverClockOfActivity : undefined);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-channels-'));
  // A fixed API_PORT lets a test point something at the API before it starts (the Web UI's codec endpoint).
  const apiPort = overrides.API_PORT !== undefined ? Number(overrides.API_PORT) : await freePort();
  const config = testConfig({
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    PACING_SMS_PER_SECOND: '100',
    PACING_VOICE_PER_SECOND: '100',
    PACING_EMAIL_PER_SECOND: '100',
    // The sandbox reports a call's `initiated` within milliseconds; production's 5 s would make each
    // retry through an outage cost 5 s of real time, during which the time-skipping clock stands still.
    CALL_REPORT_WAIT_MS: '1000',
    CONTACT_POLICY_FILE: roundTheClockPolicyFile(dataDir),
    ...(target !== undefined ? { TEMPORAL_NAMESPACE: target.namespace } : {}),
    ...overrides,
  });
  // The stack's own DATA_DIR holds a fresh sandbox token, as a new installation's would.
  const sandbox = await startSandbox({
    authToken: sandboxAuthToken(config),
    stepDelayMs: 5,
    inboundSmsUrl: `http://127.0.0.1:${apiPort}/webhooks/twilio/sms`,
  });
  const services = await openServices(config, {
    sandboxUrl: sandbox.url,
    smtpUrl: `smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`,
  });
  const temporal = target?.client ?? (await connectTestClient());
  const recontact = new RecontactClient(temporal, config.TEMPORAL_TASK_QUEUE, {
    customerKeySecret: services.customerKeySecret,
    callbackRules: services.callbackRules,
    ...(config.RESCUE_SUPERVISOR_EMAIL !== undefined
      ? { rescueSupervisorEmail: config.RESCUE_SUPERVISOR_EMAIL }
      : {}),
  });
  const api = await buildApiServer({
    client: recontact,
    tokens: ['test-token'],
    twilioWebhooks: twilioWebhookDeps(services, temporal),
    store: services.store,
    callbackDispatch: { offerMs: config.CALLBACK_OFFER_SECONDS * 1_000 },
    customerKeySecret: services.customerKeySecret,
    company: config.COMPANY_NAME,
    // The codec endpoint, as npm start serves it (docs/security.md).
    codec: { codec: payloadCodecFor(config), allowedOrigins: codecCorsOrigins(config) },
    ...(options.apiLogger !== undefined ? { logger: options.apiLogger } : {}),
  });
  await api.listen({ host: '127.0.0.1', port: apiPort });

  const connection =
    target?.nativeConnection ?? (await NativeConnection.connect({ address: sharedServerAddress() }));
  const workers = await createAllWorkers({
    config,
    connection,
    services:
      channelClock === undefined
        ? services
        : { ...services, channelDeps: { ...services.channelDeps, now: channelClock } },
    workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
  });
  const running = workers.map((worker) => worker.run());

  return {
    config,
    sandbox,
    services,
    temporal,
    recontact,
    api,
    async stop() {
      // The API first: a webhook or desk query still running must not outlive the workers' connection.
      await api.close();
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
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

/** A channel activity's result that must be a send: fails the test when the final decision held it back. */
export function sentOrThrow<T extends object>(result: T | HeldSend): T {
  if (isHeld(result)) throw new Error(`held back (${result.verdict}): ${result.message}`);
  return result;
}

/** The server's time as a channel activity sees it: when the server scheduled this attempt. */
function serverClockOfActivity(): number {
  try {
    return Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    return Date.now(); // not inside an activity
  }
}
