import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { z } from 'zod';
import { setupNamespace } from '../client/setup-namespace';
import {
  clusterNodeConfigYaml,
  nodePorts,
  TEMPORAL_DATABASE,
  VISIBILITY_DATABASE,
} from './cluster-node-config';
import { balancerCommand, type BalancerStatus, readBalancerStatus } from './frontend-balancer-launch';
import { grpcHealthCheck } from './grpc-health-check';
import { startLocalPostgres, stopLocalPostgresSync } from './local-postgres';
import { type Progress, stderrProgress } from './progress';
import { projectRoot } from './project-paths';
import { runCommand } from './run-command';
import { resolveTemporalServer, type TemporalServerBinaries } from './temporal-server';
import { prepareUiServer, resolveTemporalUiServer } from './temporal-ui-server';

/** The contact store's database on the cluster's PostgreSQL. */
export const RECONTACT_DATABASE = 'recontact';

const processSchema = z.object({ pid: z.number().int(), logFile: z.string() });

/** What `recontact cluster up` started, kept in DATA_DIR/cluster/state.json for `status` and `down`. */
export const clusterStateSchema = z.object({
  startedAt: z.string(),
  basePort: z.number().int(),
  /** Superuser URL of the `postgres` database. */
  postgresUrl: z.string(),
  /** Set when `cluster up` runs the PostgreSQL cluster itself (in this folder). */
  ownPostgresRoot: z.string().optional(),
  nodes: z.array(processSchema.extend({ index: z.number().int(), frontend: z.string() })),
  recontact: z.array(processSchema.extend({ role: z.enum(['worker', 'api']) })),
  /** The TCP balancer in front of every frontend: the address everything else uses. */
  balancer: processSchema.extend({ address: z.string(), statusFile: z.string() }).optional(),
  /** The Web UI (ui-server) on node 0's frontend, unless `up` was told not to start it. */
  ui: processSchema.extend({ url: z.string() }).optional(),
});
export type ClusterState = z.infer<typeof clusterStateSchema>;

export interface ClusterUpOptions {
  /** DATA_DIR/cluster: configs, logs, the PostgreSQL data when it runs its own, state.json. */
  dir: string;
  nodes: number;
  /** The frontend balancer listens on basePort, the Web UI on basePort + 9; node i on basePort + 10·(i+1) … + 8. */
  basePort: number;
  /** An existing PostgreSQL (superuser URL); unset → a durable local cluster in `dir/postgres`. */
  databaseUrl?: string;
  namespace: string;
  /** Recontact processes to start beside the cluster (`recontact worker` / `recontact api`). */
  workers: number;
  api: boolean;
  /** The Temporal Web UI on port basePort + 9 (a port no node uses); its codec endpoint, if any. */
  ui: false | { codecEndpoint?: string };
  /** Environment of the Recontact processes (the caller's, plus what the cluster sets). */
  env: NodeJS.ProcessEnv;
  /** The `recontact` command as argv. @default the one this process runs (node, its flags, its script) */
  recontactArgv?: string[];
  numHistoryShards?: number;
  progress?: Progress;
}

const stateFile = (dir: string) => path.join(dir, 'state.json');

export function readClusterState(dir: string): ClusterState | undefined {
  if (!existsSync(stateFile(dir))) return undefined;
  return clusterStateSchema.parse(JSON.parse(readFileSync(stateFile(dir), 'utf8')));
}

/** The first port of node `index`: the block after the balancer's (see {@link nodePorts}). */
export const nodeBasePort = (basePort: number) => basePort + 10;

/**
 * The address Recontact's processes use: the frontend balancer, which reaches every node (node 0's
 * frontend for a cluster started before there was one).
 */
export function clusterAddress(state: ClusterState): string {
  if (state.balancer !== undefined) return state.balancer.address;
  const first = state.nodes[0];
  if (first === undefined) throw new Error('the cluster has no node');
  return first.frontend;
}

/** What a Recontact process needs to run on the cluster: its frontend, namespace and contact store. */
export function recontactEnvOf(state: ClusterState, namespace: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: clusterAddress(state),
    TEMPORAL_NAMESPACE: namespace,
    DATABASE_URL: databaseUrl(state.postgresUrl, RECONTACT_DATABASE),
  };
}

/** PostgreSQL URL of `database` on the server of `superuserUrl`. */
export function databaseUrl(superuserUrl: string, database: string): string {
  const url = new URL(superuserUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Brings up Temporal as a cluster on this machine: PostgreSQL (its own or a given one), Temporal's
 * two databases created and migrated, `nodes` server processes that find each other through the
 * database, the namespace with every search attribute, then Recontact's workers and API on it with
 * the contact store on the same PostgreSQL. Processes outlive this call; `clusterDown` stops them.
 */
export async function clusterUp(options: ClusterUpOptions): Promise<ClusterState> {
  const progress = options.progress ?? stderrProgress;
  const existing = readClusterState(options.dir);
  if (existing !== undefined && clusterProcesses(existing).some((proc) => isAlive(proc.pid))) {
    throw new Error(
      `a cluster from ${existing.startedAt} still runs (state in ${stateFile(options.dir)}): recontact cluster down first`,
    );
  }
  mkdirSync(options.dir, { recursive: true });
  const binaries = await resolveTemporalServer(process.env, progress);
  const state: ClusterState = {
    startedAt: new Date().toISOString(),
    basePort: options.basePort,
    postgresUrl: options.databaseUrl ?? '',
    nodes: [],
    recontact: [],
  };
  const save = () => writeFileSync(stateFile(options.dir), `${JSON.stringify(state, null, 2)}\n`);
  try {
    if (options.databaseUrl === undefined) {
      const root = path.join(options.dir, 'postgres');
      const postgres = await startLocalPostgres({ root, durable: true });
      state.postgresUrl = postgres.url;
      state.ownPostgresRoot = root;
      progress.step(`PostgreSQL: ${postgres.url} (data in ${root})`);
    }
    save();
    await prepareDatabases(binaries, state.postgresUrl, progress);

    // One node at a time: the first one to start writes the cluster's metadata, and two writing
    // it at once make the second fail.
    for (let index = 0; index < options.nodes; index += 1) {
      const node = startNode(binaries, options, state.postgresUrl, index);
      state.nodes.push(node);
      save();
      await waitForFrontend(node.frontend, 90_000);
      progress.step(`Temporal node ${node.index}: ${node.frontend} (log ${node.logFile})`);
    }
    state.balancer = startBalancer(options, state.nodes);
    save();
    await waitForFrontend(state.balancer.address, 30_000);
    progress.step(
      `frontend balancer: ${state.balancer.address} → ${state.nodes.map((node) => node.frontend).join(', ')} (log ${state.balancer.logFile})`,
    );
    const connection = await Connection.connect({ address: clusterAddress(state) });
    try {
      await setupNamespace(connection, options.namespace, {
        retentionDays: 30,
        timeoutMs: 60_000,
        onStep: (line) => progress.step(line),
      });
    } finally {
      await connection.close();
    }

    if (options.ui !== false) {
      state.ui = await startUi(options, clusterAddress(state), options.ui.codecEndpoint, progress);
      save();
      progress.step(`Temporal Web UI: ${state.ui.url} (log ${state.ui.logFile})`);
    }

    const recontactEnv = {
      ...options.env,
      ...recontactEnvOf(state, options.namespace),
      // The API's codec endpoint answers browsers from the cluster's UI as well as the configured origins.
      ...(state.ui !== undefined ? { CODEC_CORS_ORIGINS: codecOrigins(options.env, state.ui.url) } : {}),
    };
    for (let index = 0; index < options.workers; index += 1) {
      state.recontact.push(startRecontact('worker', index, options, recontactEnv));
      save();
    }
    if (options.api) {
      state.recontact.push(startRecontact('api', 0, options, recontactEnv));
      save();
    }
    return state;
  } catch (error) {
    await clusterDown(options.dir).catch(() => undefined);
    throw error;
  }
}

/**
 * Stops what `clusterUp` started: Recontact's processes first (SIGTERM, so workers finish their
 * activities), then the Temporal nodes, then PostgreSQL if it is the cluster's own. Data stays.
 */
export async function clusterDown(dir: string): Promise<ClusterState | undefined> {
  const state = readClusterState(dir);
  if (state === undefined) return undefined;
  await stopAll(
    state.recontact.map((proc) => proc.pid),
    40_000,
  );
  await stopAll(
    [
      ...(state.ui !== undefined ? [state.ui.pid] : []),
      ...(state.balancer !== undefined ? [state.balancer.pid] : []),
      ...state.nodes.map((node) => node.pid),
    ],
    15_000,
  );
  if (state.ownPostgresRoot !== undefined) stopLocalPostgresSync(state.ownPostgresRoot);
  rmSync(stateFile(dir), { force: true });
  return state;
}

/** Starts node `index` again (after it was killed), with the configuration written at `up`. */
export function restartNode(dir: string, index: number): ClusterState {
  const state = readClusterState(dir);
  const node = state?.nodes.find((candidate) => candidate.index === index);
  if (state === undefined || node === undefined) throw new Error(`no node ${index} in ${stateFile(dir)}`);
  if (isAlive(node.pid)) throw new Error(`node ${index} still runs (pid ${node.pid})`);
  node.pid = spawnNode(nodeDirOf(dir, index), node.logFile).pid ?? -1;
  writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

export interface ClusterMember {
  role: string;
  address: string;
  /** Seconds since its last heartbeat. */
  heartbeatAgeSeconds: number;
}

const ROLE_NAMES: Record<number, string> = { 1: 'frontend', 2: 'history', 3: 'matching', 4: 'worker' };

/**
 * Live members of the cluster's rings, from Temporal's own `cluster_membership` table: what each
 * node announced and when it last did (a killed node stops refreshing its rows and drops out
 * after 20 s, as Temporal itself judges).
 */
export async function clusterMembers(state: ClusterState): Promise<ClusterMember[]> {
  const client = new PgClient({ connectionString: databaseUrl(state.postgresUrl, TEMPORAL_DATABASE) });
  await client.connect();
  try {
    // Temporal's own rule for a live member: a heartbeat within the last 20 s. A host that restarted
    // on the same address leaves its old row behind until it expires: one row per address.
    const result = await client.query<{ role: number; rpc_address: string; rpc_port: number; age: string }>(
      `SELECT role, rpc_address, rpc_port, MIN(EXTRACT(EPOCH FROM (now() - last_heartbeat))) AS age
         FROM cluster_membership
        WHERE last_heartbeat > now() - interval '20 seconds'
        GROUP BY role, rpc_address, rpc_port ORDER BY role, rpc_port`,
    );
    return result.rows.map((row) => ({
      role: ROLE_NAMES[row.role] ?? String(row.role),
      address: `${row.rpc_address}:${row.rpc_port}`,
      heartbeatAgeSeconds: Math.round(Number(row.age)),
    }));
  } finally {
    await client.end();
  }
}

export const RING_ROLES = ['frontend', 'history', 'matching', 'worker'] as const;

export interface ClusterHealth {
  healthy: boolean;
  /** The Web UI's address and whether it answered, when the cluster has one. */
  ui?: { url: string; answering: boolean };
  /** The frontend balancer: whether a frontend answers through it, and its own view of each frontend. */
  balancer?: { address: string; answering: boolean; frontends: BalancerStatus['frontends'] };
  processes: { name: string; pid: number; logFile: string; alive: boolean }[];
  /** Live members per ring, or why they could not be read. */
  rings: { role: string; members: string[] }[] | { error: string };
  expectedMembers: number;
}

/** Every process alive and every ring holding each node once: the topology `up` promised. */
export async function clusterHealth(state: ClusterState): Promise<ClusterHealth> {
  const processes = clusterProcesses(state).map((proc) => ({ ...proc, alive: isAlive(proc.pid) }));
  const expectedMembers = state.nodes.length;
  let rings: ClusterHealth['rings'];
  try {
    const members = await clusterMembers(state);
    rings = RING_ROLES.map((role) => ({
      role,
      members: members.filter((member) => member.role === role).map((member) => member.address),
    }));
  } catch (error) {
    rings = { error: error instanceof Error ? error.message : String(error) };
  }
  const ui =
    state.ui === undefined ? undefined : { url: state.ui.url, answering: await answers(state.ui.url) };
  const balancer =
    state.balancer === undefined
      ? undefined
      : {
          address: state.balancer.address,
          answering: await grpcHealthCheck(state.balancer.address, undefined, 2_000),
          frontends: readBalancerStatus(state.balancer.statusFile)?.frontends ?? [],
        };
  const healthy =
    (ui === undefined || ui.answering) &&
    (balancer === undefined ||
      (balancer.answering && balancer.frontends.every((frontend) => frontend.healthy))) &&
    processes.every((proc) => proc.alive) &&
    Array.isArray(rings) &&
    rings.every((ring) => ring.members.length === expectedMembers);
  return {
    healthy,
    processes,
    rings,
    expectedMembers,
    ...(ui !== undefined ? { ui } : {}),
    ...(balancer !== undefined ? { balancer } : {}),
  };
}

export function clusterProcesses(state: ClusterState): { name: string; pid: number; logFile: string }[] {
  return [
    ...state.nodes.map((node) => ({
      name: `temporal node ${node.index}`,
      pid: node.pid,
      logFile: node.logFile,
    })),
    ...(state.balancer !== undefined
      ? [{ name: 'frontend balancer', pid: state.balancer.pid, logFile: state.balancer.logFile }]
      : []),
    ...(state.ui !== undefined
      ? [{ name: 'temporal web ui', pid: state.ui.pid, logFile: state.ui.logFile }]
      : []),
    ...state.recontact.map((proc, index) => ({
      name: `recontact ${proc.role} ${index}`,
      pid: proc.pid,
      logFile: proc.logFile,
    })),
  ];
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (killed, not yet reaped by its parent) counts as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function prepareDatabases(
  binaries: TemporalServerBinaries,
  postgresUrl: string,
  progress: Progress,
): Promise<void> {
  const admin = new PgClient({ connectionString: postgresUrl });
  await admin.connect();
  const fresh: string[] = [];
  try {
    for (const database of [TEMPORAL_DATABASE, VISIBILITY_DATABASE, RECONTACT_DATABASE]) {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) {
        await admin.query(`CREATE DATABASE "${database}"`);
        fresh.push(database);
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  const connect = [
    '--plugin',
    'postgres12',
    '--ep',
    url.hostname,
    '-p',
    url.port || '5432',
    '-u',
    decodeURIComponent(url.username || 'postgres'),
    ...(url.password !== '' ? ['--pw', decodeURIComponent(url.password)] : []),
  ];
  const started = Date.now();
  for (const [database, schema] of [
    [TEMPORAL_DATABASE, 'postgresql/v12/temporal'],
    [VISIBILITY_DATABASE, 'postgresql/v12/visibility'],
  ] as const) {
    // A database made just now gets the versioning tables; every run applies what is new.
    if (fresh.includes(database)) {
      await runCommand(binaries.sqlTool, [...connect, '--db', database, 'setup-schema', '-v', '0.0']);
    }
    await runCommand(binaries.sqlTool, [...connect, '--db', database, 'update-schema', '-s', schema]);
  }
  progress.step(
    `schemas: ${TEMPORAL_DATABASE} and ${VISIBILITY_DATABASE} up to date (${Date.now() - started} ms); contact store: ${RECONTACT_DATABASE}`,
  );
}

const nodeDirOf = (dir: string, index: number) => path.join(dir, `node-${index}`);

function startNode(
  binaries: TemporalServerBinaries,
  options: ClusterUpOptions,
  postgresUrl: string,
  index: number,
): ClusterState['nodes'][number] {
  const nodeDir = nodeDirOf(options.dir, index);
  mkdirSync(path.join(nodeDir, 'config'), { recursive: true });
  const url = new URL(postgresUrl);
  writeFileSync(
    path.join(nodeDir, 'config', 'development.yaml'),
    clusterNodeConfigYaml({
      index,
      basePort: nodeBasePort(options.basePort),
      postgres: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username || 'postgres'),
        password: decodeURIComponent(url.password),
      },
      numHistoryShards: options.numHistoryShards ?? 8,
      dynamicConfigFile: path.join(projectRoot(), 'deploy', 'temporal', 'dynamicconfig.yaml'),
    }),
  );
  writeFileSync(path.join(nodeDir, 'server-path'), `${binaries.server}\n`);
  const logFile = path.join(nodeDir, 'server.log');
  const child = spawnNode(nodeDir, logFile);
  return {
    index,
    pid: child.pid ?? -1,
    logFile,
    frontend: `127.0.0.1:${nodePorts(nodeBasePort(options.basePort), index).frontend}`,
  };
}

function spawnNode(nodeDir: string, logFile: string): ChildProcess {
  const server = readFileSync(path.join(nodeDir, 'server-path'), 'utf8').trim();
  return spawnDetached(
    server,
    ['--root', nodeDir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
    logFile,
    process.env,
  );
}

/** The frontend balancer on basePort, a process of its own (it outlives `up`, as the nodes do). */
function startBalancer(
  options: ClusterUpOptions,
  nodes: ClusterState['nodes'],
): NonNullable<ClusterState['balancer']> {
  const logFile = path.join(options.dir, 'frontend-balancer.log');
  const statusFile = path.join(options.dir, 'frontend-balancer.json');
  rmSync(statusFile, { force: true });
  const [command, ...args] = balancerCommand({
    port: options.basePort,
    frontends: nodes.map((node) => node.frontend),
    statusFile,
  });
  const child = spawnDetached(command ?? process.execPath, args, logFile, process.env);
  return { pid: child.pid ?? -1, logFile, address: `127.0.0.1:${options.basePort}`, statusFile };
}

async function startUi(
  options: ClusterUpOptions,
  temporalAddress: string,
  codecEndpoint: string | undefined,
  progress: Progress,
): Promise<NonNullable<ClusterState['ui']>> {
  const binary = await resolveTemporalUiServer(process.env, progress);
  const port = options.basePort + 9;
  const dir = path.join(options.dir, 'ui');
  const args = prepareUiServer(dir, {
    temporalAddress,
    port,
    namespace: options.namespace,
    ...(codecEndpoint !== undefined ? { codecEndpoint } : {}),
  });
  const logFile = path.join(dir, 'ui-server.log');
  const child = spawnDetached(binary, args, logFile, process.env);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await answers(url))) {
    if (Date.now() > deadline)
      throw new Error(`the Web UI did not answer on ${url} within 30 s (log ${logFile})`);
    await sleep(250);
  }
  return { pid: child.pid ?? -1, logFile, url };
}

function codecOrigins(env: NodeJS.ProcessEnv, uiUrl: string): string {
  const port = new URL(uiUrl).port;
  return [env.CODEC_CORS_ORIGINS, `http://127.0.0.1:${port}`, `http://localhost:${port}`]
    .filter((origin) => origin !== undefined && origin !== '')
    .join(',');
}

/** True when `url` answers HTTP 200. */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

function startRecontact(
  role: 'worker' | 'api',
  index: number,
  options: ClusterUpOptions,
  env: NodeJS.ProcessEnv,
): ClusterState['recontact'][number] {
  const logFile = path.join(options.dir, `recontact-${role}-${index}.log`);
  // The same `recontact` this process runs: from source (tsx) or from dist/.
  const [command, ...args] = options.recontactArgv ?? [
    process.execPath,
    ...process.execArgv,
    process.argv[1] ?? '',
  ];
  if (command === undefined) throw new Error('cannot tell which recontact command runs');
  const child = spawnDetached(command, [...args, role], logFile, env);
  return { role, pid: child.pid ?? -1, logFile };
}

function spawnDetached(
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: projectRoot(),
      detached: true,
      stdio: ['ignore', out, out],
      env,
    });
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

async function waitForFrontend(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2s' });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await sleep(500);
    }
  }
  throw new Error(
    `Temporal node at ${address} did not answer within ${timeoutMs / 1000} s: ${String(lastError)}`,
  );
}

async function stopAll(pids: number[], graceMs: number): Promise<void> {
  for (const pid of pids) {
    try {
      if (isAlive(pid)) process.kill(pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(200);
  for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
}
