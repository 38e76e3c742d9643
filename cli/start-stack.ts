import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { Runtime, type Worker } from '@temporalio/worker';
import {
  codecCorsOrigins,
  type Config,
  publicUrl,
  usesExternalTemporal,
  usesTwilioSandbox,
} from '../config/config';
import { payloadCodecFor } from '../codec/data-converter';
import { temporalAddress } from '../client/connection';
import { collectDefaultMetrics } from 'prom-client';
import { serveMetrics } from '../metrics/serve-metrics';
import { connectWorkerConnection, createAllWorkers } from '../worker/create-worker';
import { sdkLogger } from '../worker/sdk-logger';
import { type RunningDevServer, startDevServer } from '../runtime/dev-server';
import { resolveTemporalCli, TEMPORAL_CLI_GO_VERSION } from '../runtime/temporal-cli';
import { defaultEndpoints, openServices, type ProviderEndpoints } from '../runtime/services';
import { sandboxAuthToken } from '../runtime/sandbox-credentials';
import { assertApiHostFitsCredentials } from '../api/listen-address';

export interface StackParts {
  worker: boolean;
  api: boolean;
}

/** Something started that must be stopped, in reverse order, when we shut down. */
type Stopper = () => Promise<void>;

/**
 * Runs the parts of Recontact this process hosts. `start` (both parts, TEMPORAL_ADDRESS unset)
 * also runs the embedded dev server, and — with no Twilio credentials — the Twilio sandbox and
 * SMTP sink. Resolves when everything has stopped after SIGINT/SIGTERM.
 */
export async function runStack(config: Config, parts: StackParts): Promise<void> {
  const stoppers: Stopper[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.reverse()) {
      await stop().catch((error: unknown) => console.error('shutdown step failed:', error));
    }
  };
  const everything = parts.worker && parts.api;
  // Before anything starts: a refusal must not leave a dev server or a sandbox behind.
  if (parts.api) assertApiHostFitsCredentials(config);
  const stopSignals = watchStopSignals(parts.worker ? config.WORKER_SHUTDOWN_GRACE_SECONDS : undefined);
  // The SDK's own log (worker state, the workflow bundler) follows LOG_LEVEL too.
  Runtime.install({
    logger: sdkLogger(sdkLevel[config.LOG_LEVEL]),
    // The SDK's own metrics: on a port of their own, the SDK serves them (docs/metrics.md).
    ...(config.WORKER_METRICS_ADDRESS !== undefined
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } }
      : {}),
  });

  try {
    let address = temporalAddress(config);
    if (!usesExternalTemporal(config) && everything) {
      const devServer = await startEmbeddedTemporal(config);
      stoppers.push(() => devServer.stop());
      address = devServer.address;
      console.log(`Temporal Web UI:   ${devServer.uiUrl}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows`);
    }
    console.log(`Temporal:          ${address} (namespace ${config.TEMPORAL_NAMESPACE})`);

    let endpoints: ProviderEndpoints = defaultEndpoints(config);
    if (usesTwilioSandbox(config) && everything) {
      const { startSandbox } = await import('../sandbox');
      const sandbox = await startSandbox({
        port: config.SANDBOX_PORT,
        smtpPort: config.SANDBOX_SMTP_PORT,
        ...(config.SANDBOX_IN_CONTAINER ? { host: '0.0.0.0', allInterfaces: true } : {}),
        authToken: sandboxAuthToken(config),
        stepDelayMs: 250,
        validFromNumbers: [config.TWILIO_SMS_FROM, config.TWILIO_VOICE_FROM],
        inboundSmsUrl: `${publicUrl(config)}/webhooks/twilio/sms`,
      });
      stoppers.push(() => sandbox.stop());
      endpoints = {
        sandboxUrl: sandbox.url,
        smtpUrl: config.SMTP_URL ?? `smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`,
      };
      console.log(
        `Twilio sandbox:    ${sandbox.url} (no TWILIO_* credentials; outbox ${sandbox.url}/sandbox/outbox.html)`,
      );
      if (config.SMTP_URL === undefined)
        console.log(`SMTP sink:         smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`);
    }

    const services = await openServices(config, endpoints);
    stoppers.push(() => services.close());
    // The process's own figures (CPU, memory, event loop) beside the domain counters.
    collectDefaultMetrics({ register: services.metrics.registry });
    if (config.METRICS_PORT !== undefined) {
      const metricsServer = await serveMetrics(
        services.metrics.registry,
        config.API_HOST,
        config.METRICS_PORT,
      );
      stoppers.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
      console.log(`Metrics:           http://${config.API_HOST}:${config.METRICS_PORT}/metrics`);
    }
    if (config.WORKER_METRICS_ADDRESS !== undefined)
      console.log(`SDK metrics:       http://${config.WORKER_METRICS_ADDRESS}/metrics`);

    const workers: Worker[] = [];
    if (parts.worker) {
      const connection = await connectWorkerConnection(config, address);
      stoppers.push(() => connection.close());
      workers.push(...(await createAllWorkers({ config, connection, services })));
      console.log(
        `Worker:            task queue "${config.TEMPORAL_TASK_QUEUE}" and its -sms/-voice/-email queues ` +
          `(pacing ${config.PACING_SMS_PER_SECOND}/${config.PACING_VOICE_PER_SECOND}/${config.PACING_EMAIL_PER_SECOND} per s)`,
      );
    }

    if (parts.api) {
      const apiModules = await import('./api-server-modules');
      const client = await apiModules.RecontactClient.connect(config, address);
      stoppers.push(() => client.close());
      const { tokens, generatedFile } = apiModules.resolveApiTokens(config);
      const api = await apiModules.buildApiServer({
        client,
        tokens,
        logger: apiModules.apiLoggerOptions(config.LOG_LEVEL),
        twilioWebhooks: apiModules.twilioWebhookDeps(services, client.temporal),
        store: services.store,
        callbackDispatch: { offerMs: config.CALLBACK_OFFER_SECONDS * 1_000 },
        customerKeySecret: services.customerKeySecret,
        company: config.COMPANY_NAME,
        metrics: services.metrics.registry,
        kpi: apiModules.kpiSettingsSchema.parse({
          timeZone: services.policy.centreHours.timeZone,
          valuePerAnsweredCall: config.KPI_VALUE_PER_ANSWERED_CALL,
          recontactDays: config.KPI_RECONTACT_DAYS,
          smsPricePerSegment: config.KPI_SMS_PRICE_PER_SEGMENT,
          callPricePerMinute: config.KPI_CALL_PRICE_PER_MINUTE,
        }),
        rateLimits: apiModules.rateLimitsFromConfig(config),
        codec: { codec: payloadCodecFor(config), allowedOrigins: codecCorsOrigins(config) },
      });
      await api.listen({ host: config.API_HOST, port: config.API_PORT });
      stoppers.push(() => api.close());
      const base = `http://${config.API_HOST}:${config.API_PORT}`;
      console.log(`HTTP API:          ${base} (docs ${base}/docs, health ${base}/healthz)`);
      console.log(
        `Codec endpoint:    ${codecEndpoint(config)} (the Web UI decodes runs with an API token: docs/security.md)`,
      );
      if (generatedFile !== undefined)
        console.log(`API token:         in ${generatedFile} (set API_TOKENS to choose)`);
    }

    console.log('Recontact is ready. Ctrl-C stops it gracefully.');
    // Each worker's run() resolves after a shutdown signal, once in-flight work has finished
    // (or WORKER_SHUTDOWN_GRACE_SECONDS has passed); without a worker we wait for the signal.
    await (workers.length > 0 ? Promise.all(workers.map((worker) => worker.run())) : waitForSignal());
  } finally {
    await stopAll();
    stopSignals.dispose();
  }
  console.log('Recontact stopped.');
}

/**
 * The first SIGINT/SIGTERM stops gracefully (the SDK drains the worker, then we stop the rest);
 * a second one stops everything at once: process.exit() runs the dev server's exit hook, which
 * kills it too, so nothing is left holding the ports.
 */
function watchStopSignals(graceSeconds: number | undefined): { dispose(): void } {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received === 1) {
      const drain = graceSeconds === undefined ? '' : ` (in-flight work gets up to ${graceSeconds} s)`;
      console.log(`Stopping gracefully${drain}. Ctrl-C again stops everything at once.`);
      return;
    }
    console.log(`${signal} again: stopping everything now, the Temporal dev server included.`);
    process.exit(128 + (osConstants.signals[signal] ?? 0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function startEmbeddedTemporal(config: Config): Promise<RunningDevServer> {
  const cli = await resolveTemporalCli();
  if (cli === undefined) {
    throw new Error(
      'cannot start the embedded Temporal dev server: no Temporal CLI found and no Go toolchain to build one. ' +
        `Install Go ${TEMPORAL_CLI_GO_VERSION.join('.')}+ (or put \`temporal\` on PATH, or set TEMPORAL_CLI_PATH), ` +
        'or set TEMPORAL_ADDRESS. `recontact provision --check` lists what this machine lacks.',
    );
  }
  console.log(`Temporal CLI:      ${cli.path} (${cli.source})`);
  return startDevServer({
    cliPath: cli.path,
    port: config.DEV_SERVER_PORT,
    uiPort: config.DEV_SERVER_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: path.resolve(config.DATA_DIR, 'temporal.sqlite'),
    // Without the token the UI shows ciphertext; an administrator adds it in the UI (docs/security.md).
    codecEndpoint: codecEndpoint(config),
  });
}

/** Where the API serves the codec server protocol, as the Web UI reaches it. */
function codecEndpoint(config: Config): string {
  return `${publicUrl(config)}/codec`;
}

const sdkLevel = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
