import { Migrator, sql, type Kysely } from 'kysely';
import { createContactStore, migrateToLatest, storeMigrations } from '../../../store';
import { describeEachBackend, freshStorePerTest, type FreshDatabase } from './store-backends';

const PHONE = '+34911234567';
const OTHER_PHONE = '+34911234568';
const T0 = Date.parse('2025-03-01T10:00:00Z');
const MINUTE = 60_000;

describeEachBackend('reply waits', (backend) => {
  const fixture = freshStorePerTest(backend);
  const wait = (workflowId: string, purpose: 'callback' | 'reminder', askedAt: number, until: number) =>
    fixture.store.expectReply({ address: PHONE, workflowId, purpose, askedAt, until });

  it('keeps every outreach that waits for one number, latest question first, until each expires', async () => {
    const { store } = fixture;
    await wait('reminder-1', 'reminder', T0, T0 + 60 * MINUTE);
    await wait('callback-2', 'callback', T0 + MINUTE, T0 + 30 * MINUTE);
    expect(await store.listReplyWaits(PHONE, T0 + 2 * MINUTE)).toEqual([
      { workflowId: 'callback-2', purpose: 'callback', askedAtMs: T0 + MINUTE },
      { workflowId: 'reminder-1', purpose: 'reminder', askedAtMs: T0 },
    ]);
    expect(await store.listReplyWaits(PHONE, T0 + 30 * MINUTE)).toEqual([
      { workflowId: 'reminder-1', purpose: 'reminder', askedAtMs: T0 },
    ]);
    expect(await store.listReplyWaits(OTHER_PHONE, T0)).toEqual([]);
  });

  it('moves an outreach’s question when it asks again, and releases it when it stops waiting', async () => {
    const { store } = fixture;
    await wait('reminder-1', 'reminder', T0, T0 + 60 * MINUTE);
    await wait('callback-2', 'callback', T0 + MINUTE, T0 + 60 * MINUTE);
    await wait('reminder-1', 'reminder', T0 + 2 * MINUTE, T0 + 90 * MINUTE);
    expect((await store.listReplyWaits(PHONE, T0)).map((row) => row.workflowId)).toEqual([
      'reminder-1',
      'callback-2',
    ]);
    expect(await store.releaseReplyWaits('reminder-1')).toBe(1);
    expect((await store.listReplyWaits(PHONE, T0)).map((row) => row.workflowId)).toEqual(['callback-2']);
  });

  it('names the outreach that sent the latest SMS to a number', async () => {
    const { store } = fixture;
    expect(await store.lastSmsSender(PHONE)).toBeUndefined();
    const log = (entryId: string, workflowId: string, at: number, channel: 'sms' | 'voice' = 'sms') =>
      store.logContact({
        entryId,
        customerKey: 'c-1',
        address: PHONE,
        channel,
        purpose: 'notice',
        category: 'service',
        at,
        outcome: 'sent',
        workflowId,
      });
    await log('e-1', 'reminder-1', T0);
    await log('e-2', 'notice-2', T0 + MINUTE);
    await log('e-3', 'callback-3', T0 + 2 * MINUTE, 'voice');
    expect(await store.lastSmsSender(PHONE)).toBe('notice-2');
  });
});

describeEachBackend('reply waits: the migration from one route per number', (backend) => {
  let database: FreshDatabase;
  beforeEach(async () => {
    database = await backend.freshDatabase();
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('keeps a route taken before the upgrade until it expires, as the oldest question', async () => {
    const db = database.open();
    const migrator = new Migrator({
      db: db as Kysely<unknown>,
      provider: { getMigrations: () => Promise.resolve({ ...storeMigrations }) },
      migrationTableName: 'recontact_store_migration',
      migrationLockTableName: 'recontact_store_migration_lock',
    });
    const { error } = await migrator.migrateTo('0007-agent-presence-note');
    expect(error).toBeUndefined();
    await sql`insert into reply_routes (address, workflow_id, expires_at) values (${PHONE}, ${'reminder-old'}, ${T0 + MINUTE})`.execute(
      db,
    );
    expect(await migrateToLatest(db)).toContain('0008-reply-waits');
    const store = createContactStore(db);
    expect(await store.listReplyWaits(PHONE, T0)).toEqual([
      { workflowId: 'reminder-old', purpose: 'any', askedAtMs: 0 },
    ]);
    expect(await store.listReplyWaits(PHONE, T0 + MINUTE)).toEqual([]);
  });
});
