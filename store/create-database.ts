import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, type SqliteDatabase } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import {
  databaseOptionsSchema,
  sqliteFilePath,
  type DatabaseOptions,
  type ResolvedDatabaseOptions,
} from './database-options';
import type { StoreTables } from './tables';

/** The contact store's query layer: the same Kysely queries run on SQLite and PostgreSQL. */
export type StoreDatabase = Kysely<StoreTables>;

/**
 * Opens the contact store's database: PostgreSQL when `databaseUrl` is set, else a SQLite file
 * (created, with its folder, on first use). Run `migrateToLatest(db)` before using it and
 * `db.destroy()` when done.
 *
 * @example
 * const db = createDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'data' });
 * await migrateToLatest(db);
 */
export function createDatabase(options: DatabaseOptions = {}): StoreDatabase {
  const resolved = databaseOptionsSchema.parse(options);
  if (resolved.databaseUrl !== undefined) {
    return new Kysely<StoreTables>({
      dialect: new PostgresDialect({ pool: postgresPool(resolved.databaseUrl, resolved) }),
    });
  }
  const file = sqliteFilePath(resolved);
  return new Kysely<StoreTables>({
    // Opened on the first query, so a PostgreSQL deployment never loads the SQLite binary.
    dialect: new SqliteDialect({ database: () => openSqliteFile(file, resolved.sqliteBusyTimeoutMs) }),
  });
}

/** True when `db` talks to SQLite (some behaviour, such as retrying a busy migration, is SQLite's alone). */
export function isSqlite(db: StoreDatabase): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

function postgresPool(connectionString: string, options: ResolvedDatabaseOptions): Pool {
  const pool = new Pool({
    connectionString,
    max: options.postgresPoolSize,
    // int8 (our epoch-ms columns) arrives as a string by default; these values fit a number exactly.
    types: { getTypeParser: epochMsTypeParser },
  });
  // A dropped idle connection is replaced on the next query, which reports the failure if the
  // server is really gone; without a listener the 'error' event would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

const epochMsTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === pgTypes.builtins.INT8 && format !== 'binary'
    ? (value: string) => Number(value)
    : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser;

/**
 * SQLite through `libsql`: a better-sqlite3-compatible synchronous binding that Kysely's own
 * SqliteDialect drives. It ships its native library as per-platform npm optional dependencies
 * (`@libsql/linux-x64-gnu`, …), so `npm ci` needs no compiler, no install script and no download
 * from outside the npm registry — unlike better-sqlite3, whose install script fetches a prebuilt
 * binary from GitHub and otherwise compiles SQLite with node-gyp.
 */
async function openSqliteFile(file: string, busyTimeoutMs: number): Promise<SqliteDatabase> {
  const { default: Database } = await import('libsql');
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file, { timeout: busyTimeoutMs });
  // The worker and the API are separate processes sharing this file: WAL lets readers and one
  // writer proceed together, the busy timeout makes a second writer wait instead of failing.
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  database.pragma('journal_mode = WAL');
  // Durable at every checkpoint and safe against corruption in WAL mode; fsync on each commit is not needed.
  database.pragma('synchronous = NORMAL');
  return database;
}
