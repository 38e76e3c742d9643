import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createContactStore, migrateToLatest, storeMigrations } from '../../../store';
import { describeEachBackend, type FreshDatabase } from './store-backends';

const T0 = Date.parse('2025-03-01T10:00:00Z');
const ALL_MIGRATIONS = Object.keys(storeMigrations);
const run = promisify(execFile);
const projectRoot = path.resolve(__dirname, '../../..');

/** Starts `count` processes that migrate together at one instant, then race for the same tokens. */
async function raceProcesses(database: FreshDatabase, count: number, tokens: number) {
  const startAt = Date.now() + 2_500; // after every process has loaded TypeScript
  const fixture = path.join(__dirname, 'fixtures', 'store-process.ts');
  const args = [JSON.stringify(database.options), String(startAt), String(tokens)];
  const outputs = await Promise.all(
    Array.from({ length: count }, () =>
      run(process.execPath, ['--import', 'tsx', fixture, ...args], { cwd: projectRoot }),
    ),
  );
  return outputs.map((output) => JSON.parse(output.stdout) as { applied: string[]; won: string[] });
}

describeEachBackend('migrations', (backend) => {
  let database: FreshDatabase;
  beforeEach(async () => {
    database = await backend.freshDatabase();
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('are idempotent: a second run applies nothing and keeps the data', async () => {
    const db = database.open();
    expect(await migrateToLatest(db)).toEqual(ALL_MIGRATIONS);
    await createContactStore(db).recordOptOut({
      address: '+34911234567',
      channel: 'sms',
      source: 'sms-stop',
      at: T0,
    });
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await createContactStore(db).isOptedOut('+34911234567', 'sms')).toBe(true);
  });

  it('run once when several handles in one process migrate together', async () => {
    const handles = [database.open(), database.open(), database.open()];
    const applied = await Promise.all(handles.map((db) => migrateToLatest(db)));
    expect(applied.flat()).toEqual(ALL_MIGRATIONS);
  });

  it('run once when two processes start together on an empty database, which then share every webhook token', async () => {
    const [a, b] = await raceProcesses(database, 2, 150);
    expect([...a!.applied, ...b!.applied]).toEqual(ALL_MIGRATIONS);
    expect(a!.won.length + b!.won.length).toBe(150);
    expect(new Set([...a!.won, ...b!.won]).size).toBe(150);
  });

  it('leave state that survives closing every connection and opening the database again', async () => {
    const first = database.open();
    await migrateToLatest(first);
    const store = createContactStore(first);
    await store.recordOptOut({
      address: 'ana@example.com',
      channel: 'email',
      source: 'unsubscribe-link',
      at: T0,
    });
    await store.addDoNotContact({ address: '+34911234567', reason: 'legal hold', source: 'crm', at: T0 });
    await store.setPreferences({
      customerKey: 'c-1',
      locale: 'es',
      timeZone: 'Europe/Madrid',
      updatedAt: T0,
    });
    await store.beginAttempt({ attemptKey: 'a-1', channel: 'email', to: 'ana@example.com', startedAt: T0 });
    await store.recordProviderId('a-1', '<a-1@recontact>');
    await store.logContact({
      customerKey: 'c-1',
      address: 'ana@example.com',
      channel: 'email',
      purpose: 'courtesy',
      category: 'service',
      at: T0,
      outcome: 'sent',
    });
    await store.markWebhookProcessed('token', T0);
    await first.destroy();

    const reopened = database.open();
    expect(await migrateToLatest(reopened)).toEqual([]);
    const again = createContactStore(reopened);
    expect(await again.isOptedOut('ana@example.com', 'email')).toBe(true);
    expect(await again.isDoNotContact('+34911234567')).toBe(true);
    expect(await again.getPreferences('c-1')).toMatchObject({ locale: 'es', timeZone: 'Europe/Madrid' });
    expect(await again.findAttemptByProviderId('<a-1@recontact>')).toMatchObject({
      attemptKey: 'a-1',
      startedAt: T0,
    });
    expect(await again.recentContacts('c-1', T0)).toHaveLength(1);
    expect(await again.markWebhookProcessed('token', T0)).toBe(false);
  });
});
