import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBinDir } from './postgres-binaries';
import { freeLoopbackPort } from './free-port';

const run = promisify(execFile);

/** A PostgreSQL cluster in a folder of this machine, on loopback, trust authentication. */
export interface LocalPostgres {
  /** Superuser URL of the `postgres` database, e.g. `postgres://postgres@127.0.0.1:54012/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (`pg_ctl stop -m fast`; `immediate` for a throwaway cluster). */
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** Folder holding `data/`, `server.log` and the socket; created (and initdb'd) when missing. */
  root: string;
  /** Port to listen on; unset → a free one. */
  port?: number;
  /**
   * Durable (fsync on) for data that must survive a crash of the machine; off for throwaway test
   * clusters, where speed matters and the data is deleted anyway.
   */
  durable: boolean;
}

export class LocalPostgresError extends Error {}

/**
 * initdb (first time) + pg_ctl start: 127.0.0.1 only, socket in the folder. initdb refuses to run
 * as root, so as root the cluster belongs to the `postgres` OS user Debian's package creates.
 * Throws {@link LocalPostgresError} with the fix when the binaries are missing or it will not start.
 */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    throw new LocalPostgresError(
      'PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql',
    );
  }
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (process.getuid?.() === 0 && owner === undefined) {
    throw new LocalPostgresError('running as root and there is no `postgres` OS user to own a cluster');
  }
  const { root } = options;
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  mkdirSync(root, { recursive: true });
  if (owner !== undefined) {
    assertReachableByOthers(path.dirname(path.resolve(root)));
    chownSync(root, owner.uid, owner.gid);
  }
  const asOwner = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, cwd: root };
  const pgCtl = path.join(binDir, 'pg_ctl');

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await run(
        path.join(binDir, 'initdb'),
        ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
        asOwner,
      );
    } catch (error) {
      throw new LocalPostgresError(`initdb failed: ${messageOf(error)}`);
    }
  }

  let lastError = '';
  // A port found free can be taken before the server binds it: try another (unless one was asked for).
  for (let tries = 0; tries < (options.port === undefined ? 3 : 1); tries += 1) {
    const port = options.port ?? (await freeLoopbackPort());
    const serverOptions = [
      `-p ${port}`,
      `-k ${root}`,
      '-h 127.0.0.1',
      '-c max_connections=300',
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ].join(' ');
    try {
      await run(
        pgCtl,
        ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'],
        asOwner,
      );
    } catch (error) {
      lastError = `${messageOf(error)}\n${tail(logFile)}`;
      continue;
    }
    const mode = options.durable ? 'fast' : 'immediate';
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      async stop() {
        await run(pgCtl, ['-D', dataDir, '-m', mode, '-w', 'stop'], asOwner).catch(() => undefined);
      },
    };
  }
  throw new LocalPostgresError(`pg_ctl start failed: ${lastError}`);
}

/** Stops the cluster in `root` if it runs (for a process other than the one that started it). */
export function stopLocalPostgresSync(root: string): void {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) return;
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  try {
    execFileSync(path.join(binDir, 'pg_ctl'), ['-D', path.join(root, 'data'), '-m', 'fast', '-w', 'stop'], {
      ...(owner ?? {}),
      cwd: root,
      stdio: 'ignore',
    });
  } catch {
    // Not running.
  }
}

/** The `postgres` user must be able to walk down to the cluster's folder. */
function assertReachableByOthers(dir: string): void {
  for (let current = dir; ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) {
      throw new LocalPostgresError(
        `the postgres OS user cannot enter ${current} (mode ${(statSync(current).mode & 0o777).toString(8)}): choose a folder it can reach, or chmod o+x ${current}`,
      );
    }
    if (path.dirname(current) === current) return;
  }
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

function messageOf(error: unknown): string {
  const stderr = (error as { stderr?: unknown } | null)?.stderr;
  const base = error instanceof Error ? error.message : String(error);
  return typeof stderr === 'string' && stderr.trim() !== '' && !base.includes(stderr.trim())
    ? `${base}\n${stderr.trim()}`
    : base;
}
