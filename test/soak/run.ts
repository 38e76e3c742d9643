/**
 * `npm run soak`: the seeded contact-centre lives (Jest, test/simulation/), as before.
 * `npm run soak -- --cluster`: issue 15's long kill run on a local two-node Temporal cluster.
 * `npm run soak -- --embedded`: the same run on the embedded dev server, restarted once.
 *
 * The kill run: 2,000 reminders come due within 2 minutes and 200 callers abandon the queue over
 * the same 2 minutes (20 agents accept every offer and record a disposition) while a
 * `recontact worker` is SIGKILLed (and replaced) every 5 s for 60 s, and one Temporal node is
 * SIGKILLed and brought back (the dev server: stopped and started again). Judged from the
 * sandbox's outbox, the store and Temporal's record of each run; printed as a table.
 * RECONTACT_SOAK_REMINDERS / RECONTACT_SOAK_CALLBACKS change the sizes.
 *
 * "Nothing lost" is judged once the backlog has drained, not after a fixed wait: every reminder sent
 * or its series closed without it, every callback run closed. How long to wait comes from the
 * throughput measured while the work came due (twice the estimate; RECONTACT_SOAK_DRAIN_MAX_MINUTES
 * caps it, default 60) and is printed, with the time the drain took.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFromKeys } from '../../codec/data-converter';
import { parsePayloadKeys } from '../../config/payload-keys';
import { startDevServer, type RunningDevServer } from '../../runtime/dev-server';
import { projectRoot } from '../../runtime/project-paths';
import { sandboxAuthToken } from '../../runtime/sandbox-credentials';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import {
  clusterAddress,
  clusterDown,
  clusterUp,
  isAlive,
  recontactEnvOf,
  restartNode,
} from '../../runtime/temporal-cluster';
import { startSandbox } from '../../sandbox';
import { createContactStore, createDatabase, migrateToLatest } from '../../store';
import { runCallbackLoad, type CallbackLoadResult } from '../harness/callback-load';
import { recontactCommand } from '../harness/cli';
import type { DrainResult } from '../harness/drain';
import { runKillScenario, type KillableTemporal } from '../harness/kill-scenario';
import { roundTheClockPolicyFile } from '../harness/policy-files';
import { eventually, freePort } from '../harness/temporal';

const REMINDERS = Number(process.env.RECONTACT_SOAK_REMINDERS ?? 2_000);
const CALLBACKS = Number(process.env.RECONTACT_SOAK_CALLBACKS ?? 200);
const DRAIN_MAX_MS = Number(process.env.RECONTACT_SOAK_DRAIN_MAX_MINUTES ?? 60) * 60_000;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const target = process.argv.includes('--cluster')
    ? 'cluster'
    : process.argv.includes('--embedded')
      ? 'embedded'
      : undefined;
  if (target === undefined) {
    const jest = spawnSync('npx', ['jest', '-c', 'jest.soak.config.js', ...process.argv.slice(2)], {
      cwd: projectRoot(),
      stdio: 'inherit',
      env: { ...process.env, RECONTACT_SIM_SOAK: process.env.RECONTACT_SIM_SOAK ?? '3' },
    });
    process.exit(jest.status ?? 1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), `recontact-soak-${target}-`));
  chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const namespace = 'recontact';
  const taskQueue = `soak-${randomUUID().slice(0, 8)}`;
  const payloadKeys = `soak:${randomBytes(32).toString('base64')}`;
  const customerKeySecret = randomBytes(16).toString('hex');
  const sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 5 });
  const stops: (() => Promise<unknown>)[] = [() => sandbox.stop()];
  try {
    const workerEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATA_DIR: dataDir,
      CUSTOMER_KEY_SECRET: customerKeySecret,
      PAYLOAD_KEYS: payloadKeys,
      CONTACT_POLICY_FILE: roundTheClockPolicyFile(dir),
      SANDBOX_PORT: new URL(sandbox.url).port,
      SANDBOX_SMTP_PORT: String(await freePort()),
      PACING_SMS_PER_SECOND: '50',
      PACING_VOICE_PER_SECOND: '10',
      CALLBACK_OWNER_WAIT_SECONDS: '0',
      WORKER_SHUTDOWN_GRACE_SECONDS: '2',
      LOG_LEVEL: 'warn',
    };
    let temporal: KillableTemporal;
    if (target === 'cluster') {
      const clusterDir = path.join(dir, 'cluster');
      let state = await clusterUp({
        dir: clusterDir,
        nodes: 2,
        basePort: 21_000 + Math.floor(Math.random() * 250) * 40,
        namespace,
        workers: 0,
        api: false,
        ui: false,
        recontactArgv: recontactCommand,
        env: workerEnv,
      });
      stops.push(() => clusterDown(clusterDir));
      Object.assign(workerEnv, recontactEnvOf(state, namespace));
      temporal = {
        address: clusterAddress(state),
        namespace,
        // Node 0: before the frontend balancer, every process reached the cluster through it.
        label: 'Temporal node 0 SIGKILLed, restarted 5 s later',
        kill: () => {
          process.kill(state.nodes[0]?.pid ?? -1, 'SIGKILL');
        },
        restart: async () => {
          await eventually(async () => (!isAlive(state.nodes[0]?.pid ?? -1) ? true : undefined), 5_000);
          state = restartNode(clusterDir, 0);
        },
      };
    } else {
      const cli = await resolveTemporalCli();
      if (cli === undefined) throw new Error('no Temporal CLI: npx tsx cli/main.ts provision');
      const options = {
        cliPath: cli.path,
        port: await freePort(),
        uiPort: await freePort(),
        namespace,
        dbFile: path.join(dir, 'temporal.sqlite'),
      };
      let server: RunningDevServer = await startDevServer(options);
      stops.push(() => server.stop());
      workerEnv.TEMPORAL_ADDRESS = server.address;
      temporal = {
        address: server.address,
        namespace,
        label: 'dev server stopped, started again 5 s later',
        kill: () => server.stop(),
        restart: async () => {
          server = await startDevServer(options);
        },
      };
    }
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({
      connection,
      namespace,
      dataConverter: dataConverterFromKeys(parsePayloadKeys(payloadKeys)),
    });
    // The API serves the voice webhooks the agent-first calls need; it is not killed.
    const apiPort = await freePort();
    Object.assign(workerEnv, { API_PORT: String(apiPort), PUBLIC_URL: `http://127.0.0.1:${apiPort}` });
    const api = spawnRecontact('api', workerEnv, path.join(dir, 'api.log'));
    stops.push(async () => {
      api.kill('SIGTERM');
    });
    await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${apiPort}/healthz`).catch(() => undefined);
      return response?.status === 200 ? true : undefined;
    }, 120_000);
    const db = createDatabase({ databaseUrl: workerEnv.DATABASE_URL, dataDir: dataDir });
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    let callbacks: CallbackLoadResult | undefined;
    const started = Date.now();
    const result = await runKillScenario({
      temporal,
      client,
      sandbox,
      workerEnv,
      taskQueue,
      customerKeySecret,
      logDir: dir,
      reminders: REMINDERS,
      firstDueAfterMs: 120_000,
      dueSpreadMs: 120_000,
      workers: 2,
      workerKillEveryMs: 5_000,
      workerKills: 12,
      temporalKillAfterMs: 20_000,
      temporalDownMs: 5_000,
      drain: { minMs: 60_000, maxMs: DRAIN_MAX_MS },
      log,
      during: async (firstDue) => {
        callbacks = await runCallbackLoad(
          {
            client,
            taskQueue,
            customerKeySecret,
            store: createContactStore(db),
            sandbox,
            callbacks: CALLBACKS,
            agents: 20,
          },
          { firstAt: firstDue, spreadMs: 120_000, drain: { minMs: 60_000, maxMs: DRAIN_MAX_MS, log } },
        );
      },
    });
    const rows: [string, string][] = [
      [
        'target',
        target === 'cluster' ? 'two-node cluster on PostgreSQL' : 'embedded dev server (SQLite file)',
      ],
      ['Temporal fault', temporal.label],
      ['reminders (customers)', String(result.customers)],
      ['reached', `${result.reached} (${result.customers - result.reached} not reached)`],
      [
        'not sent, accounted for',
        `${result.accountedFor} (series closed at the appointment without its reminder: cannot-deliver-in-time)`,
      ],
      ['lost', `${result.lost} (neither sent nor accounted for)`],
      ['reminder drain', drainText(result.drain)],
      ['sends', String(result.sends)],
      ['duplicates', `${result.duplicates} (kills: ${result.kills}; target ≤ kills)`],
      [
        'lateness, first send − due',
        `p50 ${result.latenessMs.p50} ms, p99 ${result.latenessMs.p99} ms, max ${result.latenessMs.max} ms`,
      ],
      ...callbackRows(callbacks),
      ['wall time', `${Math.round((Date.now() - started) / 1000)} s`],
    ];
    for (const [name, value] of rows) console.log(`${name.padEnd(28)} ${value}`);
    const ok =
      result.lost === 0 &&
      callbacks !== undefined &&
      callbacks.closed === callbacks.callbacks &&
      callbacks.holdsLeft === 0 &&
      result.duplicates + callbacks.duplicates <= result.kills;
    console.log(ok ? 'PASS' : 'FAIL');
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    // Printed before the clean-up: a call still retrying on a closed connection can end the process there.
    console.error('the soak stopped:', error);
    process.exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function callbackRows(load: CallbackLoadResult | undefined): [string, string][] {
  if (load === undefined) return [['callbacks', 'did not finish']];
  const outcomes = Object.entries(load.outcomes)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  return [
    ['callbacks (abandons)', String(load.callbacks)],
    ['callbacks closed', `${load.closed} (${outcomes})`],
    ['callbacks reached', String(load.reached)],
    ['callback duplicates', `${load.duplicates} (same attempt key sent twice)`],
    ['agent holds left', String(load.holdsLeft)],
    ['callback drain', drainText(load.drain)],
  ];
}

function drainText(drain: DrainResult): string {
  const measured = `${drain.measuredPerSecond.toFixed(2)}/s measured, limit ${Math.round(drain.limitMs / 1000)} s`;
  return drain.drained
    ? `drained ${Math.round(drain.drainMs / 1000)} s after the last was due (${measured})`
    : `NOT drained: ${drain.open} open when the limit ran out (${measured})`;
}

function spawnRecontact(role: 'api' | 'worker', env: Record<string, string>, logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  const [command, ...args] = recontactCommand;
  const child = spawn(command ?? '', [...args, role], {
    cwd: projectRoot(),
    env,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  return child;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
