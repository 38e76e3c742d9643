import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { findPostgresBinDir } from '../../runtime/postgres-binaries';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster on loopback, owned by this test run. */
export interface TestPostgres {
  /** Superuser URL of the `postgres` database, e.g. `postgres://postgres@127.0.0.1:54012/postgres`. */
  readonly url: string;
  stop(): Promise<void>;
}

export type TestPostgresStart =
  | { readonly kind: 'started'; readonly server: TestPostgres }
  /** No PostgreSQL binaries on this machine: the PostgreSQL half of the store tests is skipped. */
  | { readonly kind: 'absent'; readonly reason: string }
  /** Binaries present, but the cluster would not start: the store tests report it as a failure. */
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * initdb + pg_ctl start in a temp folder: trust auth on 127.0.0.1 only, a free port, the socket in
 * the same folder, durability off (the data is thrown away). initdb refuses to run as root, so as
 * root the cluster belongs to the `postgres` OS user that Debian's package creates.
 */
export async function startTestPostgres(): Promise<TestPostgresStart> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    return {
      kind: 'absent',
      reason:
        'PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql',
    };
  }
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    owner = postgresUser();
    if (owner === undefined) {
      return {
        kind: 'absent',
        reason: 'running as root and there is no `postgres` OS user to own a cluster',
      };
    }
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'recontact-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  if (owner !== undefined) chownSync(root, owner.uid, owner.gid);
  const asOwner = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, cwd: root };
  const pgCtl = path.join(binDir, 'pg_ctl');
  const removeFolder = () => rmSync(root, { recursive: true, force: true });

  try {
    await run(
      path.join(binDir, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
      asOwner,
    );
  } catch (error) {
    removeFolder();
    return { kind: 'failed', reason: `initdb failed: ${messageOf(error)}` };
  }

  let lastError = '';
  // A port found free can be taken before the server binds it: try another.
  for (let tries = 0; tries < 3; tries += 1) {
    const port = await freeLoopbackPort();
    const serverOptions = [
      `-p ${port}`,
      `-k ${root}`,
      '-h 127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
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
    const stopSync = () => {
      try {
        execFileSync(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], {
          ...asOwner,
          stdio: 'ignore',
        });
      } catch {
        // Already stopped.
      }
      removeFolder();
    };
    // If the run dies before the global teardown, do not leave a server behind.
    process.once('exit', stopSync);
    return {
      kind: 'started',
      server: {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        async stop() {
          process.removeListener('exit', stopSync);
          try {
            await run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], asOwner);
          } finally {
            removeFolder();
          }
        },
      },
    };
  }
  removeFolder();
  return { kind: 'failed', reason: `pg_ctl start failed: ${lastError}` };
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

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
