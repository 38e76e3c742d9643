import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { type Config, usesExternalTemporal } from '../config/config';
import { RecontactClient } from '../client/recontact-client';
import { temporalAddress } from '../client/connection';
import { buildApiServer } from '../api/server';
import { resolveApiTokens } from '../api/api-tokens';
import { connectWorkerConnection, createRecontactWorker } from '../worker/create-worker';
import { type RunningDevServer, startDevServer } from '../runtime/dev-server';
import { resolveTemporalCli } from '../runtime/temporal-cli';

export interface StackParts {
  worker: boolean;
  api: boolean;
}

/** Something started that must be stopped, in reverse order, when we shut down. */
type Stopper = () => Promise<void>;

/**
 * Runs the parts of Recontact this process hosts: the embedded dev server (only when
 * TEMPORAL_ADDRESS is unset and both parts run here), the worker, the HTTP API. Resolves when
 * everything has stopped after SIGINT/SIGTERM.
 */
export async function runStack(config: Config, parts: StackParts): Promise<void> {
  const stoppers: Stopper[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.reverse()) {
      await stop().catch((error: unknown) => console.error('shutdown step failed:', error));
    }
  };

  try {
    let address = temporalAddress(config);
    if (!usesExternalTemporal(config) && parts.worker && parts.api) {
      const devServer = await startEmbeddedTemporal(config);
      stoppers.push(() => devServer.stop());
      address = devServer.address;
      console.log(`Temporal Web UI:   ${devServer.uiUrl}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows`);
    }
    console.log(`Temporal:          ${address} (namespace ${config.TEMPORAL_NAMESPACE})`);

    let worker: Worker | undefined;
    if (parts.worker) {
      const connection = await connectWorkerConnection(config, address);
      stoppers.push(() => connection.close());
      worker = await createRecontactWorker({ config, connection });
      console.log(`Worker:            polling task queue "${config.TEMPORAL_TASK_QUEUE}"`);
    }

    let api: FastifyInstance | undefined;
    if (parts.api) {
      const client = await RecontactClient.connect(config, address);
      stoppers.push(() => client.close());
      const { tokens, generatedFile } = resolveApiTokens(config);
      api = await buildApiServer({ client, tokens, logger: { level: config.LOG_LEVEL } });
      await api.listen({ host: config.API_HOST, port: config.API_PORT });
      const apiServer = api;
      stoppers.push(() => apiServer.close());
      const base = `http://${config.API_HOST}:${config.API_PORT}`;
      console.log(`HTTP API:          ${base} (docs ${base}/docs, health ${base}/healthz)`);
      if (generatedFile !== undefined)
        console.log(`API token:         in ${generatedFile} (set API_TOKENS to choose)`);
    }

    console.log('Recontact is ready. Ctrl-C stops it gracefully.');
    // The worker's run() resolves after a shutdown signal, once in-flight work has finished
    // (or WORKER_SHUTDOWN_GRACE_SECONDS has passed); without a worker we wait for the signal.
    await (worker ? worker.run() : waitForSignal());
  } finally {
    await stopAll();
  }
}

async function startEmbeddedTemporal(config: Config): Promise<RunningDevServer> {
  const cli = await resolveTemporalCli();
  if (cli === undefined) {
    throw new Error(
      'cannot start the embedded Temporal dev server: no Temporal CLI found and no Go toolchain to build one. ' +
        'Install Go 1.22+ (or put `temporal` on PATH, or set TEMPORAL_CLI_PATH), or set TEMPORAL_ADDRESS.',
    );
  }
  console.log(`Temporal CLI:      ${cli.path} (${cli.source})`);
  return startDevServer({
    cliPath: cli.path,
    port: config.DEV_SERVER_PORT,
    uiPort: config.DEV_SERVER_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: path.resolve(config.DATA_DIR, 'temporal.sqlite'),
  });
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
