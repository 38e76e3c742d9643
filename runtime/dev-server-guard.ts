import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Progress } from './progress';

/**
 * Plain JavaScript run by `node -e` between us and the Temporal CLI (no loader needed, so it runs
 * the same from source, from dist/ and under Jest). It
 * - starts the dev server as its child and exits with it;
 * - forwards SIGINT/SIGTERM to it;
 * - stops it when the process that started us dies, even by SIGKILL: our stdin is a pipe from
 *   that process, and the kernel closes the pipe when it dies;
 * - keeps the pid file: line 1 the dev server's pid, line 2 the pid of the process that owns it.
 * argv: pidFile, cliPath, ...cliArgs.
 */
export const DEV_SERVER_WATCHDOG = `
const { spawn } = require('node:child_process');
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const [pidFile, cli, ...args] = process.argv.slice(1);
const server = spawn(cli, args, { stdio: ['ignore', 'inherit', 'inherit'] });
server.once('error', (error) => {
  console.error(String(error));
  process.exit(127);
});
if (server.pid !== undefined) writeFileSync(pidFile, server.pid + '\\n' + process.ppid + '\\n');
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
process.stdin.once('close', () => {
  server.kill('SIGTERM');
  setTimeout(() => server.kill('SIGKILL'), 10000).unref();
});
process.stdin.resume();
server.once('exit', (code, signal) => {
  try {
    if (readFileSync(pidFile, 'utf8').split('\\n')[0] === String(server.pid)) rmSync(pidFile);
  } catch {}
  process.exit(code ?? (signal === null ? 1 : 128));
});
`;

/** One dev server per SQLite file: its pid file sits beside the file (in DATA_DIR for `npm start`). */
export function devServerPidFile(dbFile: string): string {
  return path.join(path.dirname(dbFile), 'temporal-dev-server.pid');
}

/**
 * Before a start on `dbFile`: a dev server that an earlier, killed `recontact start` left behind
 * (its owner is gone) is stopped, saying so. One whose owner still runs is refused with a clear
 * error instead of a port conflict. A pid file naming anything else is stale and removed.
 */
export async function stopLeftoverDevServer(dbFile: string, progress: Progress): Promise<void> {
  const pidFile = devServerPidFile(dbFile);
  if (!existsSync(pidFile)) return;
  const [serverPid, ownerPid] = readFileSync(pidFile, 'utf8').split('\n').map(Number);
  if (serverPid === undefined || !isDevServerFor(serverPid, dbFile)) {
    rmSync(pidFile, { force: true });
    return;
  }
  if (ownerPid !== undefined && ownerPid > 1 && isAlive(ownerPid)) {
    throw new Error(
      `a Temporal dev server (pid ${serverPid}) started by another process (pid ${ownerPid}, still running) ` +
        `uses ${dbFile}: stop that one first, or choose another DATA_DIR`,
    );
  }
  progress.step(
    `a Temporal dev server (pid ${serverPid}) left running by an earlier start that was killed uses ${dbFile}; stopping it`,
  );
  await stopPid(serverPid);
  rmSync(pidFile, { force: true });
  progress.step(`stopped the leftover Temporal dev server (pid ${serverPid})`);
}

/** True when `pid` runs `temporal server start-dev --db-filename <dbFile>` (Linux: /proc). */
function isDevServerFor(pid: number, dbFile: string): boolean {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const db = argv.indexOf('--db-filename');
  return argv.includes('start-dev') && db >= 0 && argv[db + 1] === dbFile;
}

/** Running, and not a zombie (in a container, PID 1 may never reap an orphan). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
async function stopPid(pid: number): Promise<void> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) signal('SIGKILL');
    await sleep(100);
  }
}
