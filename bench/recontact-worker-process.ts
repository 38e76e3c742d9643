import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RECONTACT_NODE_FLAGS } from '../runtime/node-flags';
import { projectRoot } from '../runtime/project-paths';

/** A `recontact worker` the benchmark started in its own process, as deployed. */
export interface RecontactWorkerProcess {
  pid: number;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  /** SIGTERM; resolves once it has exited. */
  stop(): Promise<void>;
}

/** CPU seconds (user + system) of a process so far, from /proc (Linux; clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * The arguments to `node` that run `recontact worker` of the checkout at `root`, with the node flags
 * every launcher of Recontact passes (runtime/node-flags.ts): from source through
 * tsx, as `npm start` does, or — with BENCH_WORKER_BUILT=1 — the JavaScript `npm run build` makes, as
 * the Docker image runs it (`node dist/cli/main.js worker`), compiled first into `.cache/bench-dist`
 * of that checkout (node_modules and the project's files resolve from there as from `dist/`). The
 * two differ in memory: tsx adds its loader thread and keeps the compiled sources.
 */
export function recontactWorkerArgs(root: string): string[] {
  if (process.env.BENCH_WORKER_BUILT !== '1')
    return [...RECONTACT_NODE_FLAGS, '--import', 'tsx', path.join(root, 'cli', 'main.ts'), 'worker'];
  const main = path.join(root, '.cache', 'bench-dist', 'cli', 'main.js');
  if (!builtRoots.has(root)) buildForBench(root, main);
  return [...RECONTACT_NODE_FLAGS, main, 'worker'];
}

/** Checkouts compiled by this benchmark process: one run (timers, its variant, the cluster) compiles each once. */
const builtRoots = new Set<string>();

function buildForBench(root: string, main: string): void {
  const outDir = path.join(root, '.cache', 'bench-dist');
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0 || !existsSync(main))
    throw new Error(`building ${root} for BENCH_WORKER_BUILT failed`);
  builtRoots.add(root);
}

/**
 * The variables of this shell a benchmark's `recontact worker` gets (its environment is otherwise
 * exactly what the suite gives it, so a stray variable cannot change what is measured): the WORKER_*
 * and PACING_* settings (a run can try another cache size or pace without code changes),
 * BENCH_WORKER_NODE_OPTIONS as NODE_OPTIONS, and MALLOC_ARENA_MAX (glibc's allocator arenas).
 */
export function passedWorkerEnvironment(): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (
      (key.startsWith('WORKER_') || key.startsWith('PACING_') || key === 'MALLOC_ARENA_MAX') &&
      value !== undefined
    )
      passed[key] = value;
  if (process.env.BENCH_WORKER_NODE_OPTIONS) passed.NODE_OPTIONS = process.env.BENCH_WORKER_NODE_OPTIONS;
  return passed;
}

/**
 * Starts `recontact worker` (the workflow worker and the paced channel workers) with exactly `env`
 * plus PATH and HOME and `passedWorkerEnvironment()`. Resolves once it says it is ready.
 * `BENCH_WORKER_ROOT` in `env` runs the worker of another
 * checkout instead of this one (e.g. `git archive main | tar -x -C /tmp/base`, node_modules linked):
 * a workflow change measured against its base on the same server, in the same run.
 */
export async function startRecontactWorker(given: Record<string, string>): Promise<RecontactWorkerProcess> {
  const { BENCH_WORKER_ROOT: root = projectRoot(), ...env } = given;
  const child: ChildProcess = spawn(process.execPath, recontactWorkerArgs(root), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, ...passedWorkerEnvironment() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  await untilReady(child);
  const pid = child.pid ?? -1;
  return {
    pid,
    cpuSeconds: () => cpuSecondsOf(pid),
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** Processes whose command line holds `argument` (e.g. the dev server's SQLite file), from /proc. */
export function pidsWithArgument(argument: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(argument))
        pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/**
 * Seconds the process's threads spent runnable but waiting for a CPU so far (the kernel's
 * schedstat run delay, summed over threads): next to its CPU seconds, it says whether a slow
 * process was busy itself or starved by the rest of the machine.
 */
export function runQueueSecondsOf(pid: number): number {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[1]);
      } catch {
        // A thread that ended meanwhile.
      }
    }
    return total / 1e9;
  } catch {
    return Number.NaN;
  }
}

/** Resolves when a `recontact worker` child (stdout piped) prints that it is ready; rejects if it exits first. */
export function untilReady(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Recontact is ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`recontact worker exited with ${code}: ${output}`)));
  });
}
