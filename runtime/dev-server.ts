import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { allSearchAttributes } from '../workflows/search-attributes';
import { DEV_SERVER_WATCHDOG, devServerPidFile, stopLeftoverDevServer } from './dev-server-guard';
import { type Progress, stderrProgress } from './progress';

/**
 * Dynamic configuration the embedded dev server runs with.
 * - The timer queue looks ahead 1 s by default, so timers fire up to a second late; reminders
 *   promise better, so the look-ahead is shortened (bench/ measures the lateness it gives).
 * - Search attributes registered at start-up are visible to the very next query.
 * - One partition per task queue, for exact provider pacing (below).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, unknown> = {
  'history.timerProcessorMaxTimeShift': '100ms',
  // A task queue's rate limit is split evenly over its partitions (4 by default), so a queue
  // whose pollers reach only some partitions runs below the provider's pace and bursts above it
  // at start. One partition makes the channel queues' pacing exact; one node needs no more.
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  'system.forceSearchAttributesCacheRefreshOnRead': true,
};

/**
 * SQLite settings for the dev server's file: write-ahead logging lets readers (visibility
 * queries) run beside writers, and `synchronous=normal` is durable across process crashes —
 * only an operating-system crash or power loss can lose the last commits. A deployment that
 * must survive power loss runs a Temporal cluster on PostgreSQL or Cassandra instead.
 */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/** `--dynamic-config-value` flags shared by `npm start`, the tests and the benchmarks. */
export function devServerExtraArgs(): string[] {
  return Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file; state survives restarts. */
  dbFile: string;
  /** Where the server's own log goes. */
  logFile?: string;
  /** Serve the server's Prometheus metrics on this port (the benchmarks count requests there). */
  metricsPort?: number;
  /** Where to say that a leftover dev server was stopped. @default stderr */
  progress?: Progress;
  /** The codec endpoint the Web UI decodes payloads with (`--ui-codec-endpoint`); unset: none. */
  codecEndpoint?: string;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  /** SIGTERM, SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` and resolves once the namespace answers. A dev server left
 * on the same SQLite file by a killed earlier start is stopped first; this one stops itself if
 * we are killed (see DEV_SERVER_WATCHDOG).
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  mkdirSync(path.dirname(options.dbFile), { recursive: true });
  await stopLeftoverDevServer(options.dbFile, options.progress ?? stderrProgress);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...allSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliType(key.type)}`]),
    ...DEV_SERVER_SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    ...devServerExtraArgs(),
    ...(options.metricsPort !== undefined ? ['--metrics-port', String(options.metricsPort)] : []),
    ...(options.codecEndpoint !== undefined ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
  ];
  // Its own process group: a Ctrl-C in the terminal reaches only us, so Temporal stays up while
  // the worker drains in-flight activities, and we stop it last. The watchdog's stdin is the pipe
  // whose closing (our death, however it comes) stops the server.
  const child = spawn(
    process.execPath,
    ['-e', DEV_SERVER_WATCHDOG, '--', devServerPidFile(options.dbFile), options.cliPath, ...args],
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  const killGroup = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // process.exit() (a second Ctrl-C, an uncaught error) skips the graceful stop: kill at once.
  process.once('exit', killGroup);
  child.once('exit', () => process.removeListener('exit', killGroup));
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const address = `127.0.0.1:${options.port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`the Temporal dev server exited during start-up:\n${output.join('')}`);
    if (await namespaceAnswers(address, options.namespace)) break;
    if (Date.now() > deadline) {
      killGroup();
      throw new Error(
        `the Temporal dev server did not answer on ${address} within 60 s:\n${output.join('')}`,
      );
    }
    await sleep(250);
  }
  return {
    address,
    uiUrl: `http://localhost:${options.uiPort}`,
    stop: () => stopProcess(child, killGroup),
  };
}

async function namespaceAnswers(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: '1s' });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

/** SIGTERM (the watchdog passes it on), then `kill()` if the server has not stopped within 10 s. */
async function stopProcess(child: ChildProcess, kill: () => void, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(kill, graceMs);
  await exited;
  clearTimeout(timer);
}

function cliType(type: string): string {
  // The CLI spells types as Keyword, Int, Datetime, … where the SDK says KEYWORD, INT, DATETIME.
  const names: Record<string, string> = {
    KEYWORD: 'Keyword',
    TEXT: 'Text',
    INT: 'Int',
    DOUBLE: 'Double',
    BOOL: 'Bool',
    DATETIME: 'Datetime',
    KEYWORD_LIST: 'KeywordList',
  };
  const name = names[type];
  if (name === undefined) throw new Error(`unknown search attribute type ${type}`);
  return name;
}
