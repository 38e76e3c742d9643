import { sql } from 'kysely';
import type { Channel } from '../domain/policy';
import { createAgents } from './agents';
import { createCallbackQueue } from './callback-queue';
import { createDeskCallbacks } from './desk-callbacks';
import { createAgentScores } from './agent-scores';
import { createCallbackRuns } from './callback-runs';
import { createProviderReports } from './provider-reports';
import { createReminderOutcomes } from './reminder-outcomes';
import { createKpiSource } from './kpi-source';
import { createDeskTokens } from './desk-tokens';
import { createAttempts } from './attempts';
import { createContactLog } from './contact-log';
import { createContactPreferences } from './contact-preferences';
import { isSqlite, type StoreDatabase } from './create-database';
import { createDoNotContact, findDoNotContact, type DoNotContactEntry } from './do-not-contact';
import { coveringOptOut, createOptOuts, type OptOutRecord } from './opt-outs';
import { createWebhookDeliveries } from './webhook-deliveries';
import { createReplyRoutes } from './reply-routes';

/** Why an address may not be contacted on a channel right now. */
export type ContactBlock =
  | { readonly kind: 'do-not-contact'; readonly entry: DoNotContactEntry }
  | { readonly kind: 'opted-out'; readonly optOut: OptOutRecord };

/**
 * The small state outside Temporal — opt-outs, do-not-contact entries, preferences, attempt
 * records, the contact log and processed webhooks — over one database (SQLite or PostgreSQL).
 * Every write that races (a STOP delivered twice, an attempt retried by two workers, concurrent
 * webhook deliveries) is one insert against a unique key, so it is atomic on both.
 *
 * @example
 * const db = createDatabase({ databaseUrl: process.env.DATABASE_URL });
 * await migrateToLatest(db);
 * const store = createContactStore(db);
 * if (await store.contactBlock('+34911234567', 'sms')) return; // never text an opted-out number
 */
export function createContactStore(db: StoreDatabase) {
  return {
    ...storeOperations(db),

    /**
     * Runs `work` in one transaction that no other `withContactLock` on any of `addresses` can
     * interleave with, handing it the store bound to that transaction: a read of the contact log
     * and the write that depends on it (a frequency-cap reservation) are then atomic. SQLite: the
     * transaction takes the database's write lock first (`BEGIN IMMEDIATE`). PostgreSQL: one
     * transaction-scoped advisory lock per address, taken in sorted order so two locks never wait
     * on each other. `work` must not open transactions of its own.
     */
    async withContactLock<T>(
      addresses: readonly string[],
      work: (locked: LockedContactStore) => Promise<T>,
    ): Promise<T> {
      return db.transaction().execute(async (trx) => {
        if (!isSqlite(db)) {
          for (const address of [...new Set(addresses)].sort()) {
            await sql`select pg_advisory_xact_lock(hashtextextended(${address}, 0))`.execute(trx);
          }
        }
        return work(storeOperations(trx));
      });
    },
  };
}

/** Every store operation, over a database or inside one transaction. */
function storeOperations(db: StoreDatabase) {
  return {
    ...createOptOuts(db),
    ...createDoNotContact(db),
    ...createContactPreferences(db),
    ...createAttempts(db),
    ...createContactLog(db),
    ...createWebhookDeliveries(db),
    ...createReplyRoutes(db),
    ...createAgents(db),
    ...createCallbackQueue(db),
    ...createDeskCallbacks(db),
    ...createAgentScores(db),
    ...createDeskTokens(db),
    ...createCallbackRuns(db),
    ...createProviderReports(db),
    ...createReminderOutcomes(db),
    ...createKpiSource(db),

    /** What stops contacting `address` on `channel` (do-not-contact first), or undefined when nothing does. */
    async contactBlock(address: string, channel: Channel): Promise<ContactBlock | undefined> {
      const entry = await findDoNotContact(db, address);
      if (entry !== undefined) return { kind: 'do-not-contact', entry };
      const optOut = await coveringOptOut(db, address, channel);
      return optOut === undefined ? undefined : { kind: 'opted-out', optOut };
    },
  };
}

export type ContactStore = ReturnType<typeof createContactStore>;
/** The store inside `withContactLock`'s transaction. */
export type LockedContactStore = ReturnType<typeof storeOperations>;
