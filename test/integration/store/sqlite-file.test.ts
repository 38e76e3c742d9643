import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import {
  createDatabase,
  databaseOptionsSchema,
  isSqlite,
  migrateToLatest,
  sqliteFilePath,
} from '../../../store';

describe('the SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'recontact-sqlite-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults to recontact.sqlite in the data folder, creating the folder', async () => {
    const dataDir = path.join(dir, 'nested', 'data');
    expect(sqliteFilePath(databaseOptionsSchema.parse({ dataDir }))).toBe(
      path.join(dataDir, 'recontact.sqlite'),
    );
    const db = createDatabase({ dataDir });
    try {
      expect(isSqlite(db)).toBe(true);
      await migrateToLatest(db);
      expect(existsSync(path.join(dataDir, 'recontact.sqlite'))).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it('is in WAL mode with a busy timeout, so the worker and the API can share it', async () => {
    const db = createDatabase({ sqliteFile: path.join(dir, 'store.sqlite'), sqliteBusyTimeoutMs: 7_000 });
    try {
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      const timeout = await sql<Record<string, number>>`pragma busy_timeout`.execute(db);
      expect(Object.values(timeout.rows[0] ?? {})).toEqual([7_000]);
    } finally {
      await db.destroy();
    }
  });
});

describe('database options', () => {
  it('take a postgres:// URL for PostgreSQL and treat a blank one as unset', () => {
    expect(databaseOptionsSchema.parse({ databaseUrl: 'postgresql://u@db:5432/recontact' }).databaseUrl).toBe(
      'postgresql://u@db:5432/recontact',
    );
    expect(databaseOptionsSchema.parse({ databaseUrl: '  ' }).databaseUrl).toBeUndefined();
    expect(() => databaseOptionsSchema.parse({ databaseUrl: 'mysql://db/recontact' })).toThrow(
      /postgres:\/\//,
    );
  });
});
