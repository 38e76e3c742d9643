import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two changes for a file that several processes share:
 *
 * - transactions start with `BEGIN IMMEDIATE`, taking the write lock first (waiting up to the busy
 *   timeout). A deferred `BEGIN` that reads and then writes fails with SQLITE_BUSY at once when
 *   another process wrote in between — the busy timeout does not apply to that case;
 * - DDL runs in transactions (SQLite supports it; Kysely's adapter says it does not, so its
 *   migrator would otherwise create tables one by one outside any transaction). A migration is
 *   then all or nothing, and a second process migrating at the same time waits, then finds the
 *   work done.
 */
export class SharedFileSqliteDialect extends SqliteDialect {
  readonly #database: () => Promise<SqliteDatabase>;

  constructor(database: () => Promise<SqliteDatabase>) {
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver({ database: this.#database });
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * SQLite through `libsql`: a better-sqlite3-compatible synchronous binding that Kysely's SQLite
 * driver drives unchanged. It ships its native library as per-platform npm optional dependencies
 * (`@libsql/linux-x64-gnu`, …), so `npm ci` needs no compiler, no install script and no download
 * from outside the npm registry — unlike better-sqlite3, whose install script fetches a prebuilt
 * binary from GitHub and otherwise compiles SQLite with node-gyp.
 */
export async function openSqliteFile(file: string, busyTimeoutMs: number): Promise<SqliteDatabase> {
  const { default: Database } = await import('libsql');
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file, { timeout: busyTimeoutMs });
  // The worker and the API are separate processes sharing this file: WAL lets readers and one
  // writer proceed together, the busy timeout makes a second writer wait instead of failing.
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  database.pragma('journal_mode = WAL');
  // Safe against corruption in WAL mode; a power cut may lose the last commits, not the file.
  database.pragma('synchronous = NORMAL');
  return database;
}
