import path from 'node:path';
import { z } from 'zod';

/**
 * Where the contact store lives. A `databaseUrl` selects PostgreSQL; otherwise a SQLite file.
 *
 * @example
 * createDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: config.DATA_DIR });
 */
export const databaseOptionsSchema = z.object({
  /**
   * PostgreSQL connection string (`postgres://user:pass@host:5432/recontact`). Set: PostgreSQL.
   * Unset or blank: the SQLite file.
   */
  databaseUrl: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      error: 'expected a postgres:// or postgresql:// URL',
    }),
  /**
   * The SQLite file. Its folder is created if missing.
   * @default "<dataDir>/recontact.sqlite"
   */
  sqliteFile: z.string().min(1).optional(),
  /**
   * Folder for the default SQLite file (the configuration's `DATA_DIR`).
   * @default "data"
   */
  dataDir: z.string().min(1).default('data'),
  /**
   * How long a SQLite statement waits for another process's write lock before failing.
   * @default 5000
   */
  sqliteBusyTimeoutMs: z.number().int().min(0).max(600_000).default(5_000),
  /**
   * Most PostgreSQL connections this process opens.
   * @default 10
   */
  postgresPoolSize: z.number().int().min(1).max(1_000).default(10),
});

export type DatabaseOptions = z.input<typeof databaseOptionsSchema>;
export type ResolvedDatabaseOptions = z.output<typeof databaseOptionsSchema>;

/** The SQLite file the options point at (also when a `databaseUrl` makes it unused). */
export function sqliteFilePath(options: ResolvedDatabaseOptions): string {
  return options.sqliteFile ?? path.join(options.dataDir, 'recontact.sqlite');
}
