import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalPostgresError, startLocalPostgres, stopLocalPostgresSync } from '../../runtime/local-postgres';

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
 * A local cluster in a temp folder (runtime/local-postgres.ts) with durability off: the data is
 * thrown away. Missing binaries skip the PostgreSQL half; a cluster that will not start fails it.
 */
export async function startTestPostgres(): Promise<TestPostgresStart> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'recontact-pg-'));
  const removeFolder = () => rmSync(root, { recursive: true, force: true });
  let server;
  try {
    server = await startLocalPostgres({ root, durable: false });
  } catch (error) {
    removeFolder();
    const reason = error instanceof Error ? error.message : String(error);
    const absent = error instanceof LocalPostgresError && /not found|no `postgres` OS user/.test(reason);
    return { kind: absent ? 'absent' : 'failed', reason };
  }
  const stopSync = () => {
    stopLocalPostgresSync(root);
    removeFolder();
  };
  // If the run dies before the global teardown, do not leave a server behind.
  process.once('exit', stopSync);
  return {
    kind: 'started',
    server: {
      url: server.url,
      async stop() {
        process.removeListener('exit', stopSync);
        try {
          await server.stop();
        } finally {
          removeFolder();
        }
      },
    },
  };
}
