import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { isSqlite, sqliteFileOf, type StoreDatabase } from './create-database';

/**
 * Every migration, in code: no directory scan, so `dist/` and bundles work the same as source.
 * Names sort in the order they run. Schema-builder DDL only (text, bigint, primary keys, unique
 * and plain indexes), which both SQLite and PostgreSQL accept. Never edit a released migration:
 * add the next one.
 */
export const storeMigrations: Readonly<Record<string, Migration>> = {
  '0001-contact-store': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('opt_outs')
        .addColumn('address', 'text', (col) => col.notNull())
        .addColumn('channel', 'text', (col) => col.notNull())
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('opted_out_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('opt_outs_pk', ['address', 'channel'])
        .execute();

      await db.schema
        .createTable('do_not_contact')
        .addColumn('address', 'text', (col) => col.primaryKey())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('added_at', 'bigint', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('contact_preferences')
        .addColumn('customer_key', 'text', (col) => col.primaryKey())
        .addColumn('preferred_channel', 'text')
        .addColumn('locale', 'text')
        .addColumn('time_zone', 'text')
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('attempts')
        .addColumn('attempt_key', 'text', (col) => col.primaryKey())
        .addColumn('channel', 'text', (col) => col.notNull())
        .addColumn('to_address', 'text', (col) => col.notNull())
        .addColumn('started_at', 'bigint', (col) => col.notNull())
        .addColumn('provider_id', 'text')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('completed_at', 'bigint')
        .execute();
      // Status callbacks find their attempt by SID / Message-ID; unique because one send has one id.
      await db.schema
        .createIndex('attempts_provider_id')
        .unique()
        .on('attempts')
        .column('provider_id')
        .execute();

      await db.schema
        .createTable('contact_log')
        .addColumn('entry_id', 'text', (col) => col.primaryKey())
        .addColumn('customer_key', 'text', (col) => col.notNull())
        .addColumn('address', 'text', (col) => col.notNull())
        .addColumn('channel', 'text', (col) => col.notNull())
        .addColumn('purpose', 'text', (col) => col.notNull())
        .addColumn('category', 'text', (col) => col.notNull())
        .addColumn('at', 'bigint', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('reason', 'text')
        .addColumn('workflow_id', 'text')
        .execute();
      await db.schema
        .createIndex('contact_log_customer_at')
        .on('contact_log')
        .columns(['customer_key', 'at'])
        .execute();
      await db.schema
        .createIndex('contact_log_address_at')
        .on('contact_log')
        .columns(['address', 'at'])
        .execute();
      await db.schema.createIndex('contact_log_at').on('contact_log').column('at').execute();

      await db.schema
        .createTable('processed_webhooks')
        .addColumn('idempotency_token', 'text', (col) => col.primaryKey())
        .addColumn('processed_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('processed_webhooks_at')
        .on('processed_webhooks')
        .column('processed_at')
        .execute();
    },
  },
  '0002-reply-routes': {
    async up(db) {
      // Which workflow is waiting for an SMS reply from an address, until when.
      await db.schema
        .createTable('reply_routes')
        .addColumn('address', 'text', (col) => col.primaryKey())
        .addColumn('workflow_id', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
    },
  },
  '0003-agents': {
    async up(db) {
      // Agents who take callbacks. Skills and languages are child tables so that "available agents
      // with skill X" is an indexed lookup on both databases, not a scan of JSON text.
      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('address', 'text', (col) => col.notNull())
        .addColumn('presence', 'text', (col) => col.notNull())
        .addColumn('presence_changed_at', 'bigint', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('agents_presence_changed_at')
        .on('agents')
        .columns(['presence', 'presence_changed_at'])
        .execute();
      await db.schema
        .createTable('agent_skills')
        .addColumn('agent_id', 'text', (col) => col.notNull())
        .addColumn('skill', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('agent_skills_pk', ['agent_id', 'skill'])
        .execute();
      await db.schema
        .createIndex('agent_skills_skill')
        .on('agent_skills')
        .columns(['skill', 'agent_id'])
        .execute();
      await db.schema
        .createTable('agent_languages')
        .addColumn('agent_id', 'text', (col) => col.notNull())
        .addColumn('language', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('agent_languages_pk', ['agent_id', 'language'])
        .execute();
    },
  },
  '0004-callback-queue': {
    async up(db) {
      // Due callbacks waiting for an agent: the dispatcher's queue, served by priority, then the
      // original request time. A row lives while its workflow waits; Temporal keeps everything else.
      await db.schema
        .createTable('callback_queue')
        .addColumn('workflow_id', 'text', (col) => col.primaryKey())
        .addColumn('skill', 'text', (col) => col.notNull())
        .addColumn('language', 'text')
        .addColumn('priority', 'bigint', (col) => col.notNull())
        .addColumn('requested_at', 'bigint', (col) => col.notNull())
        .addColumn('preferred_agent_id', 'text')
        .addColumn('preferred_only_until', 'bigint')
        .addColumn('declined', 'text', (col) => col.notNull())
        .addColumn('queued_at', 'bigint', (col) => col.notNull())
        .execute();
      // At most one callback per agent (an offer or a claimed call), at most one agent per callback:
      // both unique keys make "exactly one" a database guarantee on SQLite and PostgreSQL alike.
      await db.schema
        .createTable('agent_holds')
        .addColumn('agent_id', 'text', (col) => col.primaryKey())
        .addColumn('workflow_id', 'text', (col) => col.notNull().unique())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('since', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint')
        .execute();
      // Who last spoke with a customer, for "the same agent as before".
      await db.schema
        .createTable('customer_owners')
        .addColumn('customer_key', 'text', (col) => col.primaryKey())
        .addColumn('agent_id', 'text', (col) => col.notNull())
        .addColumn('at', 'bigint', (col) => col.notNull())
        .execute();
    },
  },
  '0005-desk-tokens': {
    async up(db) {
      // Sign-in tokens of the agent desk, stored as SHA-256 digests: a copy of the database does
      // not let anyone sign in. The role decides which desk endpoints a token opens.
      await db.schema
        .createTable('desk_tokens')
        .addColumn('token_digest', 'text', (col) => col.primaryKey())
        .addColumn('role', 'text', (col) => col.notNull())
        .addColumn('subject_id', 'text', (col) => col.notNull())
        .addColumn('label', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('desk_tokens_subject').on('desk_tokens').column('subject_id').execute();
    },
  },
  '0006-agent-scores': {
    async up(db) {
      // Survey scores recorded against the agent who handled the interaction; one per survey response.
      await db.schema
        .createTable('agent_scores')
        .addColumn('response_id', 'text', (col) => col.primaryKey())
        .addColumn('agent_id', 'text', (col) => col.notNull())
        .addColumn('score_type', 'text', (col) => col.notNull())
        .addColumn('score', 'bigint', (col) => col.notNull())
        .addColumn('at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('agent_scores_agent')
        .on('agent_scores')
        .columns(['agent_id', 'at'])
        .execute();
    },
  },
  '0007-agent-presence-note': {
    async up(db) {
      // Why an agent is out of rotation when the system took them out (their phone failed): shown to
      // supervisors, cleared when the agent's presence is set again.
      await db.schema.alterTable('agents').addColumn('presence_note', 'text').execute();
    },
  },
  '0008-reply-waits': {
    async up(db) {
      // One row per address *and* workflow: every outreach waiting for an answer from a number, with
      // what it is about and when it asked, so a reply that could be for two is asked about, not
      // given to whichever asked last (issue 13). Replaces reply_routes (one row per address).
      await db.schema
        .createTable('reply_waits')
        .addColumn('address', 'text', (col) => col.notNull())
        .addColumn('workflow_id', 'text', (col) => col.notNull())
        .addColumn('purpose', 'text', (col) => col.notNull())
        .addColumn('asked_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('reply_waits_pk', ['address', 'workflow_id'])
        .execute();
      await db.schema.createIndex('reply_waits_workflow').on('reply_waits').column('workflow_id').execute();
      // A route taken before this release keeps working until it expires; what it was about is not
      // known ('any': every reply may be for it) and it counts as the oldest question.
      await sql`insert into reply_waits (address, workflow_id, purpose, asked_at, expires_at)
        select address, workflow_id, 'any', 0, expires_at from reply_routes`.execute(db);
      await db.schema.dropTable('reply_routes').execute();
    },
  },
  '0009-callback-runs': {
    async up(db) {
      // One row per finished callback run, written by the run as it finishes: what the KPIs read.
      await db.schema
        .createTable('callback_runs')
        .addColumn('workflow_id', 'text', (col) => col.notNull())
        .addColumn('run_id', 'text', (col) => col.notNull())
        .addColumn('customer_key', 'text', (col) => col.notNull())
        .addColumn('origin', 'text', (col) => col.notNull())
        .addColumn('queue', 'text', (col) => col.notNull())
        .addColumn('skill', 'text', (col) => col.notNull())
        .addColumn('abandon_count', 'bigint', (col) => col.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('requested_at', 'bigint', (col) => col.notNull())
        .addColumn('closed_at', 'bigint', (col) => col.notNull())
        .addColumn('decision', 'text')
        .addColumn('decision_reason', 'text')
        .addColumn('acknowledged', 'bigint', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('customer_attempts', 'bigint', (col) => col.notNull())
        .addColumn('last_attempt_outcome', 'text')
        .addColumn('conversation_at', 'bigint')
        // JSON: [{ agentId, answer }]; read whole with its run, never queried inside.
        .addColumn('offers', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('callback_runs_pk', ['workflow_id', 'run_id'])
        .execute();
      await db.schema
        .createIndex('callback_runs_requested')
        .on('callback_runs')
        .column('requested_at')
        .execute();
    },
  },
  '0010-kpi-facts': {
    async up(db) {
      // What the KPIs could not read before (docs/kpi.md): the run's tenant, the time promised in the
      // acknowledgement and the first call; what each send cost and how its delivery ended; reminders.
      await db.schema.alterTable('callback_runs').addColumn('tenant', 'text').execute();
      await db.schema.alterTable('callback_runs').addColumn('promised_by', 'bigint').execute();
      await db.schema.alterTable('callback_runs').addColumn('first_call_at', 'bigint').execute();
      // One row per SMS or call attempt, by the send (purpose, segments, price) and by the provider's
      // status callbacks (delivery status, call seconds): either may come first.
      await db.schema
        .createTable('provider_reports')
        .addColumn('attempt_key', 'text', (col) => col.primaryKey())
        .addColumn('channel', 'text', (col) => col.notNull())
        .addColumn('purpose', 'text')
        .addColumn('at', 'bigint')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('status_rank', 'bigint', (col) => col.notNull())
        .addColumn('segments', 'bigint')
        .addColumn('duration_seconds', 'bigint')
        .addColumn('price', 'double precision')
        .execute();
      await db.schema.createIndex('provider_reports_at').on('provider_reports').column('at').execute();
      // One row per finished appointment-reminder run.
      await db.schema
        .createTable('reminder_outcomes')
        .addColumn('workflow_id', 'text', (col) => col.notNull())
        .addColumn('run_id', 'text', (col) => col.notNull())
        .addColumn('appointment_id', 'text', (col) => col.notNull())
        .addColumn('appointment_at', 'bigint', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('reminders_sent', 'bigint', (col) => col.notNull())
        .addColumn('closed_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('reminder_outcomes_pk', ['workflow_id', 'run_id'])
        .execute();
      await db.schema
        .createIndex('reminder_outcomes_appointment_at')
        .on('reminder_outcomes')
        .column('appointment_at')
        .execute();
    },
  },
  '0011-desk-callbacks': {
    async up(db) {
      // The desk's read model (issue 14): one row per open callback, written by its run at every
      // change of state, so the desk and the supervisor view read pages of the store instead of
      // querying each run. The customer's name is the only personal datum (never the number); the row
      // ends with the callback. `version` orders writes that may arrive out of order (workflow time).
      await db.schema
        .createTable('desk_callbacks')
        .addColumn('workflow_id', 'text', (col) => col.primaryKey())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('priority', 'bigint', (col) => col.notNull())
        .addColumn('requested_at', 'bigint', (col) => col.notNull())
        .addColumn('due_at', 'bigint')
        .addColumn('expires_at', 'bigint')
        .addColumn('origin', 'text', (col) => col.notNull())
        .addColumn('queue', 'text', (col) => col.notNull())
        .addColumn('skill', 'text', (col) => col.notNull())
        .addColumn('language', 'text')
        .addColumn('customer_name', 'text')
        .addColumn('reason', 'text')
        .addColumn('waited_ms', 'bigint', (col) => col.notNull())
        .addColumn('abandon_count', 'bigint', (col) => col.notNull())
        .addColumn('tier', 'text')
        .addColumn('time_zone', 'text')
        // JSON, read whole with the row: the survey score and the attempts ([{ attempt, at, outcome }]).
        .addColumn('survey_score', 'text')
        .addColumn('attempts', 'text', (col) => col.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('version', 'bigint', (col) => col.notNull())
        // 1: written by the desk from a query of a run started before this table (see docs/callbacks.md).
        .addColumn('legacy', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      // The supervisor's page: service order, optionally one state or skill.
      await db.schema
        .createIndex('desk_callbacks_order')
        .on('desk_callbacks')
        .columns(['priority desc', 'requested_at'])
        .execute();
      await db.schema
        .createIndex('desk_callbacks_state')
        .on('desk_callbacks')
        .columns(['state', 'priority desc', 'requested_at'])
        .execute();
      await db.schema
        .createIndex('desk_callbacks_skill')
        .on('desk_callbacks')
        .columns(['skill', 'priority desc', 'requested_at'])
        .execute();
      // The desk's change stamp (the newest write) and the refresh of legacy rows.
      await db.schema
        .createIndex('desk_callbacks_updated')
        .on('desk_callbacks')
        .column('updated_at')
        .execute();
      await db.schema
        .createIndex('desk_callbacks_stale')
        .on('desk_callbacks')
        .columns(['legacy', 'updated_at'])
        .execute();
      // An agent's page of the queue walks it in service order and stops at the page's end.
      await db.schema
        .createIndex('callback_queue_order')
        .on('callback_queue')
        .columns(['priority desc', 'requested_at'])
        .execute();
      await db.schema
        .createIndex('callback_queue_skill')
        .on('callback_queue')
        .columns(['skill', 'priority desc', 'requested_at'])
        .execute();
    },
  },
};

const inCodeProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...storeMigrations }),
};

/** Kysely's bookkeeping tables, named so they do not collide with another application's in a shared database. */
const MIGRATION_TABLE = 'recontact_store_migration';
const MIGRATION_LOCK_TABLE = 'recontact_store_migration_lock';

/** Busy timeouts that still expire (a very slow migration elsewhere) are retried this many times. */
const SQLITE_BUSY_RETRIES = 20;

/**
 * Brings the schema up to date; a no-op when it already is. Safe when the worker and the API start
 * together: PostgreSQL serialises migrators with Kysely's advisory lock; on SQLite each migration
 * runs in a `BEGIN IMMEDIATE` transaction, so a second process waits for the first and then finds
 * the work done (and if it still meets SQLITE_BUSY, it retries).
 *
 * @returns the names of the migrations this call applied (empty when none were due)
 */
export async function migrateToLatest(db: StoreDatabase): Promise<string[]> {
  const file = sqliteFileOf(db);
  if (file === undefined) return migrateWithRetries(db);
  // Handles on one file in one process take turns: a synchronous SQLite call waiting for a lock
  // held by another handle of the same process would block the event loop that must release it.
  const previous = migrationsInProgress.get(file) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => migrateWithRetries(db));
  migrationsInProgress.set(file, current);
  try {
    return await current;
  } finally {
    if (migrationsInProgress.get(file) === current) migrationsInProgress.delete(file);
  }
}

const migrationsInProgress = new Map<string, Promise<string[]>>();

async function migrateWithRetries(db: StoreDatabase): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: inCodeProvider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const retries = isSqlite(db) ? SQLITE_BUSY_RETRIES : 0;
  for (let attempt = 0; ; attempt += 1) {
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error === undefined) {
      return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
    }
    if (attempt >= retries || !isSqliteBusy(error)) {
      const failed = results.find((result) => result.status === 'Error')?.migrationName;
      throw new Error(
        `contact store migration${failed === undefined ? '' : ` ${failed}`} failed: ${messageOf(error)}`,
        { cause: error },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
  }
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
