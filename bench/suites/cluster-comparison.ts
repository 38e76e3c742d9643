import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  clusterAddress,
  clusterDown,
  clusterUp,
  RECONTACT_DATABASE,
  databaseUrl,
} from '../../runtime/temporal-cluster';
import { benchDataConverter } from '../payload-keys';
import { type BenchRow } from '../stats';
import { measureTrivialStartRate } from './temporal-baseline';
import {
  measureReminderLateness,
  reminderLatenessRows,
  type ReminderLatenessOptions,
  type ReminderLatenessResult,
} from './reminder-lateness';

export interface EmbeddedFigures {
  startsPerSecond: number;
  starts: number;
  timers?: ReminderLatenessResult;
}

/**
 * The same measurements on the local Temporal cluster `recontact cluster up` starts (two server
 * nodes, each running every service, on a throwaway local PostgreSQL; the contact store on the same
 * PostgreSQL), beside the embedded default's figures of this run, as ratios: trivial start rate and,
 * when the timers suite ran, the product's reminder lateness.
 */
export async function clusterComparisonSuite(
  embedded: EmbeddedFigures,
  timers: Omit<ReminderLatenessOptions, 'workerEnv' | 'serverPids'> | undefined,
  { nodes }: { nodes: number },
): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-cluster-'));
  // As root, the local PostgreSQL runs as the `postgres` user, who must reach its folder.
  chmodSync(dir, 0o755);
  const namespace = 'recontact';
  // Ports below 32768 (Temporal keeps membership ports in a smallint), away from the dev default.
  const basePort = 23_000 + Math.floor(Math.random() * 200) * 40;
  const rows: BenchRow[] = [];
  try {
    const state = await clusterUp({
      dir,
      nodes,
      basePort,
      namespace,
      workers: 0,
      api: false,
      ui: false,
      env: {},
    });
    const address = clusterAddress(state);
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    try {
      const client = new Client({ connection, namespace, dataConverter: benchDataConverter() });
      const taskQueue = `bench-${randomUUID()}`;
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace,
        taskQueue,
        workflowsPath: require.resolve('../workflows'),
        dataConverter: benchDataConverter(),
      });
      const label = `cluster (${nodes} nodes, PostgreSQL)`;
      await worker.runUntil(async () => {
        const rate = await measureTrivialStartRate(
          { client, worker, taskQueue, full: false },
          embedded.starts,
        );
        rows.push({
          benchmark: `${label}: start rate, trivial workflow (${embedded.starts} starts)`,
          measured: `${rate.toFixed(0)}/s`,
          baseline: `${embedded.startsPerSecond.toFixed(0)}/s embedded`,
          ratio: `${(rate / embedded.startsPerSecond).toFixed(2)}× embedded`,
          target: 'reported',
        });
      });
      if (timers !== undefined && embedded.timers !== undefined) {
        const result = await measureReminderLateness(client, address, {
          ...timers,
          workerEnv: { DATABASE_URL: databaseUrl(state.postgresUrl, RECONTACT_DATABASE) },
          serverPids: state.nodes.map((node) => node.pid),
        });
        rows.push(...reminderLatenessRows(label, result, { label: 'embedded', result: embedded.timers }));
      }
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  } finally {
    await clusterDown(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
