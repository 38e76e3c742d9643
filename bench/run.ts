/**
 * `npm run bench [-- --full]`: benchmarks on the embedded default (a dev server with the same
 * dynamic config `npm start` uses, on a throwaway SQLite file), printed as a table with ratios
 * against a baseline measured in the same process. `--full` uses the target sizes (slow).
 * `--cluster` then repeats the start rate (and, with the timers suite, the reminder lateness) on
 * the local Temporal cluster `recontact cluster up` starts, as ratios to the embedded figures.
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
import {
  measureReminderLateness,
  reminderLatenessRows,
  type ReminderLatenessResult,
} from './suites/reminder-lateness';
import { clusterComparisonSuite } from './suites/cluster-comparison';
import { pidsWithArgument } from './recontact-worker-process';
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
  // `--starts N`: a smaller baseline when the machine is shared and only another suite's figures matter.
  const starts = positiveOption('--starts') ?? (full ? 5_000 : 1_000);
  let baseline = 0;
  let timers: ReminderLatenessResult | undefined;
  const timerSize = timerSizes(full);
  try {
    await worker.runUntil(async () => {
      baseline = await measureTrivialStartRate(context, starts);
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
      if (wants('timers')) {
        // `--no-bare` leaves out the bare-timer floor (it doubles a full run's time).
        if (!process.argv.includes('--no-bare'))
          rows.push(...(await timerLatenessSuite(context, baseline, timerSize)));
        timers = await measureReminderLateness(context.client, server.address, {
          ...timerSize,
          serverPids: pidsWithArgument(path.join(dataDir, 'temporal.sqlite')),
        });
        rows.push(...reminderLatenessRows('embedded', timers));
        // `--timers-variant WORKER_MAX_CACHED_WORKFLOWS=2000,PACING_SMS_PER_SECOND=500` (repeatable):
        // the same measurement with the worker's environment changed, as ratios to the default.
        for (const variant of timerVariants()) {
          const label = Object.entries(variant)
            .map(([key, value]) => `${key}=${value}`)
            .join(' ');
          const result = await measureReminderLateness(context.client, server.address, {
            ...timerSize,
            workerEnv: variant,
            serverPids: pidsWithArgument(path.join(dataDir, 'temporal.sqlite')),
          });
          rows.push(...reminderLatenessRows(label, result, { label: 'default', result: timers }));
        }
      }
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
    if (process.argv.includes('--cluster'))
      rows.push(
        ...(await clusterComparisonSuite(
          { startsPerSecond: baseline, starts, ...(timers ? { timers } : {}) },
          timers ? timerSize : undefined,
          { nodes: 2 },
        )),
      );
  } finally {
    await connection.close();
    await nativeConnection.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nRecontact benchmarks (${full ? 'full' : 'quick'} run, ${new Date().toISOString()})\n`);
  printTable(rows);
}

/**
 * Reminders due and the window they are due in: 10,000 in 60 s with `--full` (the target), else
 * 1,000 in 6 s (the same density); `--timers N --window S` pick others.
 */
function timerSizes(full: boolean): { count: number; windowMs: number; leadMs?: number } {
  const lead = positiveOption('--timers-lead');
  return {
    count: positiveOption('--timers') ?? (full ? 10_000 : 1_000),
    windowMs: (positiveOption('--window') ?? (full ? 60 : 6)) * 1000,
    // `--timers-lead S`: seconds between the estimated end of planning and the first due time.
    ...(lead !== undefined ? { leadMs: lead * 1000 } : {}),
  };
}

/** The number after `name` on the command line, if given; a positive number or an error. */
function positiveOption(name: string): number | undefined {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? undefined : Number(process.argv[at + 1]);
  if (value !== undefined && !(Number.isFinite(value) && value > 0))
    throw new Error(`${name}: expected a positive number, got ${process.argv[at + 1]}`);
  return value;
}

/** Each `--timers-variant KEY=VALUE[,KEY=VALUE]` as an environment for the worker. */
function timerVariants(): Record<string, string>[] {
  return process.argv.flatMap((arg, index) => {
    if (arg !== '--timers-variant') return [];
    const given = process.argv[index + 1] ?? '';
    const pairs = given.split(',').map((pair) => pair.split('='));
    if (pairs.some(([key, value]) => !/^[A-Z][A-Z0-9_]*$/.test(key ?? '') || value === undefined))
      throw new Error(`--timers-variant: expected KEY=VALUE[,KEY=VALUE], got ${given}`);
    return [Object.fromEntries(pairs) as Record<string, string>];
  });
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
