/**
 * `npm run bench [-- --full]`: benchmarks on the embedded default (a dev server with the same
 * dynamic config `npm start` uses, on a throwaway SQLite file), printed as a table with ratios
 * against a baseline measured in the same process. `--full` uses the target sizes (slow).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startDevServer } from '../runtime/dev-server';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { type BenchRow, printTable } from './stats';
import { benchDataConverter } from './payload-keys';
import { measureTrivialStartRate, timerLatenessSuite, type BenchContext } from './suites/temporal-baseline';
import { providerPacingSuite } from './suites/provider-pacing';
import { claimToCallSuite } from './suites/claim-to-call';
import { importRateSuite } from './suites/import-rate';
import { pendingRemindersSuite } from './suites/pending-reminders';
import { workflowModuleCostRows } from './suites/workflow-module-cost';
import { dispatchSuite } from './suites/dispatch';
import { deskSuite } from './suites/desk';
import { zoneArithmeticRows } from './suites/zone-arithmetic';

async function main(): Promise<void> {
  const full = process.argv.includes('--full');
  // `--only pacing` (or `timers`, `claim`, `import`, `pending`, `dispatch`, `desk`, `zones`) runs one suite beside the baseline.
  const only = process.argv[process.argv.indexOf('--only') + 1];
  const wants = (suite: string): boolean => !process.argv.includes('--only') || only === suite;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await resolveTemporalCli();
  if (cli === undefined) throw new Error('no Temporal CLI: run `npx tsx cli/main.ts provision` first');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-'));
  // Another benchmark on the machine holds 17233: BENCH_TEMPORAL_PORT moves this one (UI +1000, metrics +1).
  const port = Number(process.env.BENCH_TEMPORAL_PORT ?? 17_233);
  const server = await startDevServer({
    cliPath: cli.path,
    port,
    uiPort: port + 1_000,
    namespace: 'recontact',
    dbFile: path.join(dataDir, 'temporal.sqlite'),
    // The desk suite counts the server's requests here.
    metricsPort: port + 1,
  });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'recontact',
    taskQueue,
    workflowsPath: require.resolve('./workflows'),
    maxCachedWorkflows: 2_000,
    dataConverter: benchDataConverter(),
  });
  const context: BenchContext = {
    client: new Client({ connection, namespace: 'recontact', dataConverter: benchDataConverter() }),
    worker,
    taskQueue,
    full,
  };
  const rows: BenchRow[] = [];
  // CPU only: measured before the worker polls, so its threads do not share the cores.
  const zoneRows = wants('zones') ? zoneArithmeticRows(full ? 10_000 : 2_000) : [];
  try {
    await worker.runUntil(async () => {
      const starts = full ? 5_000 : 1_000;
      const baseline = await measureTrivialStartRate(context, starts);
      rows.push({
        benchmark: `start rate, trivial workflow (${starts} starts)`,
        measured: `${baseline.toFixed(0)}/s`,
        baseline: 'itself',
        ratio: '1.00×',
        target: 'baseline for start-rate ratios',
      });
      if (wants('import'))
        rows.push(
          ...(await importRateSuite(context.client, {
            count: full ? 10_000 : 1_000,
            baselinePerSecond: baseline,
          })),
        );
      if (wants('timers')) rows.push(...(await timerLatenessSuite(context, baseline)));
      if (wants('pacing'))
        rows.push(
          ...(await providerPacingSuite(context.client, nativeConnection, worker, {
            count: full ? 100 : 40,
            rate: 5,
          })),
        );
      if (wants('pending')) rows.push(...(await workflowModuleCostRows(require.resolve('../workflows'))));
      if (wants('pending'))
        rows.push(
          ...(await pendingRemindersSuite(context.client, server.address, {
            checkpoints: pendingCheckpoints(full),
          })),
        );
      rows.push(...zoneRows);
      if (wants('claim'))
        rows.push(...(await claimToCallSuite(context.client, nativeConnection, { count: full ? 200 : 40 })));
      if (wants('dispatch'))
        rows.push(
          ...(await dispatchSuite(
            context.client,
            nativeConnection,
            full
              ? { waiting: 5_000, agents: 100, availabilityMs: 60_000, idleMs: 120_000 }
              : { waiting: 500, agents: 20, availabilityMs: 20_000, idleMs: 30_000 },
          )),
        );
      if (wants('desk'))
        rows.push(
          ...(await deskSuite(context.client, nativeConnection, {
            sizes: full ? [500, 5_000] : [500, 2_000],
            pages: 50,
            realRuns: full ? 5_000 : 100,
            windowMs: full ? 60_000 : 30_000,
            metricsUrl: `http://127.0.0.1:${port + 1}/metrics`,
          })),
        );
    });
  } finally {
    await connection.close();
    await nativeConnection.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nRecontact benchmarks (${full ? 'full' : 'quick'} run, ${new Date().toISOString()})\n`);
  printTable(rows);
}

/** `--pending-at 1000,5000` overrides the pending-reminder checkpoints. */
function pendingCheckpoints(full: boolean): number[] {
  const at = process.argv.indexOf('--pending-at');
  const given = at < 0 ? undefined : process.argv[at + 1];
  if (given !== undefined)
    return given
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
  return full ? [1_000, 10_000, 25_000, 50_000, 100_000] : [1_000, 5_000, 10_000];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
