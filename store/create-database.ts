import path from 'node:path';
import { Kysely, PostgresDialect, SqliteAdapter } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import {
  databaseOptionsSchema,
  sqliteFilePath,
  type DatabaseOptions,
  type ResolvedDatabaseOptions,
} from './database-options';
import { SharedFileSqliteDialect, openSqliteFile } from './sqlite-dialect';
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
  const db = new Kysely<StoreTables>({
    // Opened on the first query, so a PostgreSQL deployment never loads the SQLite binary.
    dialect: new SharedFileSqliteDialect(() => openSqliteFile(file, resolved.sqliteBusyTimeoutMs)),
  });
  sqliteFiles.set(db, file === ':memory:' ? undefined : path.resolve(file));
  return db;
}

const sqliteFiles = new WeakMap<StoreDatabase, string | undefined>();

/** The absolute path of the SQLite file behind `db` (undefined for PostgreSQL and `:memory:`). */
export function sqliteFileOf(db: StoreDatabase): string | undefined {
  return sqliteFiles.get(db);
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
