import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  createContactStore,
  createDatabase,
  migrateToLatest,
  type ContactStore,
  type DatabaseOptions,
  type StoreDatabase,
} from '../../../store';
import { TEST_ENV } from '../../harness/test-env';

/** One empty database of a backend; every handle opened on it is closed by `dispose`. */
export interface FreshDatabase {
  readonly options: DatabaseOptions;
  /** A new handle (pool / file connection), like another process would open. */
  open(): StoreDatabase;
  dispose(): Promise<void>;
}

export interface StoreBackend {
  readonly name: 'SQLite' | 'PostgreSQL';
  freshDatabase(): Promise<FreshDatabase>;
}

type Availability =
  | { readonly kind: 'available'; readonly backend: StoreBackend }
  | { readonly kind: 'skipped'; readonly name: string; readonly reason: string }
  | { readonly kind: 'broken'; readonly name: string; readonly reason: string };

export const sqliteBackend: StoreBackend = {
  name: 'SQLite',
  async freshDatabase() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'recontact-store-'));
    return trackHandles({ sqliteFile: path.join(dir, 'recontact.sqlite') }, async () => {
      rmSync(dir, { recursive: true, force: true });
    });
  },
};

function postgresBackend(adminUrl: string): StoreBackend {
  return {
    name: 'PostgreSQL',
    async freshDatabase() {
      const name = `store_${randomUUID().replaceAll('-', '')}`;
      await admin(adminUrl, `create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return trackHandles({ databaseUrl: url.toString() }, () =>
        admin(adminUrl, `drop database ${name} with (force)`),
      );
    },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function trackHandles(options: DatabaseOptions, removeDatabase: () => Promise<void>): FreshDatabase {
  const handles: StoreDatabase[] = [];
  return {
    options,
    open() {
      const db = createDatabase(options);
      handles.push(db);
      return db;
    },
    async dispose() {
      await Promise.all(handles.splice(0).map((db) => db.destroy()));
      await removeDatabase();
    },
  };
}

/**
 * SQLite always; PostgreSQL on the cluster the global setup started. Without PostgreSQL binaries
 * its half is skipped with the reason — except in CI (which installs them) or when the cluster
 * failed to start, where it fails.
 */
export function storeBackends(): Availability[] {
  const url = process.env[TEST_ENV.postgresUrl];
  const absent = process.env[TEST_ENV.postgresAbsent];
  const failed = process.env[TEST_ENV.postgresFailed];
  let postgres: Availability;
  if (url !== undefined && url !== '') {
    postgres = { kind: 'available', backend: postgresBackend(url) };
  } else if (absent !== undefined && process.env.CI !== 'true' && process.env.CI !== '1') {
    postgres = { kind: 'skipped', name: 'PostgreSQL', reason: absent };
  } else {
    postgres = {
      kind: 'broken',
      name: 'PostgreSQL',
      reason:
        failed ??
        (absent !== undefined
          ? `${absent} (CI must have it: .ci/run installs it)`
          : `${TEST_ENV.postgresUrl} is not set: run integration tests through jest so the global setup runs`),
    };
  }
  return [{ kind: 'available', backend: sqliteBackend }, postgres];
}

let warnedSkip = false;

/** Declares the same tests once per backend: `describe('<title> on SQLite')`, `… on PostgreSQL`. */
export function describeEachBackend(title: string, define: (backend: StoreBackend) => void): void {
  for (const availability of storeBackends()) {
    if (availability.kind === 'available') {
      describe(`${title} on ${availability.backend.name}`, () => define(availability.backend));
    } else if (availability.kind === 'skipped') {
      if (!warnedSkip) {
        warnedSkip = true;
        console.warn(`Contact store tests on ${availability.name} are skipped: ${availability.reason}`);
      }
      // Registered and skipped, so the summary counts every PostgreSQL test as skipped, with the reason.
      describe.skip(`${title} on ${availability.name} — skipped: ${availability.reason}`, () =>
        define(unreachable(availability.name)));
    } else {
      describe(`${title} on ${availability.name}`, () => {
        it('has a PostgreSQL server to run on', () => {
          throw new Error(availability.reason);
        });
      });
    }
  }
}

function unreachable(name: string): StoreBackend {
  return {
    name: name === 'SQLite' ? 'SQLite' : 'PostgreSQL',
    freshDatabase: () => Promise.reject(new Error(`${name} is not available`)),
  };
}

/** A fresh, migrated database and store for every test of the enclosing describe. */
export function freshStorePerTest(backend: StoreBackend): {
  readonly database: FreshDatabase;
  readonly db: StoreDatabase;
  readonly store: ContactStore;
} {
  let current: { database: FreshDatabase; db: StoreDatabase; store: ContactStore } | undefined;
  beforeEach(async () => {
    const database = await backend.freshDatabase();
    const db = database.open();
    await migrateToLatest(db);
    current = { database, db, store: createContactStore(db) };
  });
  afterEach(async () => {
    await current?.database.dispose();
    current = undefined;
  });
  const get = () => {
    if (current === undefined) throw new Error('freshStorePerTest: use it inside a test');
    return current;
  };
  return {
    get database() {
      return get().database;
    },
    get db() {
      return get().db;
    },
    get store() {
      return get().store;
    },
  };
}
