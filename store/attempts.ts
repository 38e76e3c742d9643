import { z } from 'zod';
import { channelSchema, type Channel } from '../domain/policy';
import type { StoreDatabase } from './create-database';
import { ContactStoreConflictError, ContactStoreNotFoundError, isUniqueViolation } from './store-errors';
import type { AttemptsTable } from './tables';
import { addressSchema, codeSchema, instantInputSchema } from './values';

const attemptKeySchema = z.string().min(1).max(300);
const providerIdSchema = z.string().min(1).max(1000);

export const beginAttemptInputSchema = z.object({
  /** Unique per run and send attempt, stable across activity retries, e.g. `${workflowId}/${runId}/sms/2`. */
  attemptKey: attemptKeySchema,
  channel: channelSchema,
  /** The normalised address the attempt goes to. */
  to: addressSchema,
  startedAt: instantInputSchema,
});
export type BeginAttemptInput = z.input<typeof beginAttemptInputSchema>;

/** `pending` until the provider id is recorded, `accepted` after, then whatever `completeAttempt` sets. */
export type AttemptStatus = string;

/**
 * One send (SMS, call, e-mail) as the provider saw it or may have seen it. Written before the
 * provider is called, so a retry after a crash knows a send may already exist.
 */
export interface AttemptRecord {
  readonly attemptKey: string;
  readonly channel: Channel;
  readonly to: string;
  /** Epoch ms; a retry after an ambiguous failure asks the provider for sends since then. */
  readonly startedAt: number;
  /** Twilio SID or SMTP Message-ID, once known. */
  readonly providerId: string | null;
  readonly status: AttemptStatus;
  readonly completedAt: number | null;
}

export function createAttempts(db: StoreDatabase) {
  return {
    /**
     * Records the attempt unless it exists; either way returns the stored row. `created: false`
     * means an earlier run of this attempt got at least this far: check `providerId` before
     * sending again. A key reused for a different channel or address is a bug and throws.
     */
    async beginAttempt(input: BeginAttemptInput): Promise<{ attempt: AttemptRecord; created: boolean }> {
      const { attemptKey, channel, to, startedAt } = beginAttemptInputSchema.parse(input);
      const inserted = await db
        .insertInto('attempts')
        .values({
          attempt_key: attemptKey,
          channel,
          to_address: to,
          started_at: startedAt,
          provider_id: null,
          status: 'pending',
          completed_at: null,
        })
        .onConflict((conflict) => conflict.column('attempt_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { attempt: toAttempt(inserted), created: true };
      const existing = await mustFind(db, attemptKey);
      if (existing.channel !== channel || existing.to !== to) {
        throw new ContactStoreConflictError(
          `attempt ${attemptKey} was begun for ${existing.channel} to ${existing.to}, not ${channel} to ${to}`,
        );
      }
      return { attempt: existing, created: false };
    },

    /**
     * Stores the provider's id for the attempt (idempotent for the same id). A different id for
     * an attempt that already has one means the provider got two sends: that throws.
     */
    async recordProviderId(attemptKey: string, providerId: string): Promise<AttemptRecord> {
      const key = attemptKeySchema.parse(attemptKey);
      const id = providerIdSchema.parse(providerId);
      const updated = await db
        .updateTable('attempts')
        .set((eb) => ({
          provider_id: id,
          status: eb.case().when('status', '=', 'pending').then('accepted').else(eb.ref('status')).end(),
        }))
        .where('attempt_key', '=', key)
        .where((eb) => eb.or([eb('provider_id', 'is', null), eb('provider_id', '=', id)]))
        .returningAll()
        .executeTakeFirst()
        .catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
          throw new ContactStoreConflictError(
            `provider id ${id} already belongs to another attempt than ${key}`,
          );
        });
      if (updated !== undefined) return toAttempt(updated);
      const existing = await mustFind(db, key);
      throw new ContactStoreConflictError(
        `attempt ${key} already has provider id ${existing.providerId ?? '(none)'}; refusing ${id}`,
      );
    },

    /**
     * Stores the id a provider reported for the attempt (a call's status callback names the attempt
     * in its signed URL), unless the attempt already has one: the first id recorded wins. True when
     * the attempt now carries this id; false when there is no such attempt on this channel, or it
     * carries another id.
     */
    async recordReportedProviderId(
      attemptKey: string,
      channel: Channel,
      providerId: string,
    ): Promise<boolean> {
      const key = attemptKeySchema.parse(attemptKey);
      const id = providerIdSchema.parse(providerId);
      const updated = await db
        .updateTable('attempts')
        .set((eb) => ({
          provider_id: id,
          status: eb.case().when('status', '=', 'pending').then('accepted').else(eb.ref('status')).end(),
        }))
        .where('attempt_key', '=', key)
        .where('channel', '=', channelSchema.parse(channel))
        .where('provider_id', 'is', null)
        .returningAll()
        .executeTakeFirst()
        .catch((error: unknown) => {
          // The id is another attempt's already: not this attempt's call.
          if (isUniqueViolation(error)) return undefined;
          throw error;
        });
      if (updated !== undefined) return true;
      return (await find(db, 'attempt_key', key))?.providerId === id;
    },

    /**
     * Sets the attempt's status (`sent`, `delivered`, `failed`, `busy`, …). A later call replaces
     * the status; `completedAt` keeps the first completion time.
     */
    async completeAttempt(
      attemptKey: string,
      status: string,
      completedAt: number | string | Date = Date.now(),
    ): Promise<AttemptRecord> {
      const key = attemptKeySchema.parse(attemptKey);
      const newStatus = codeSchema.parse(status);
      const at = instantInputSchema.parse(completedAt);
      const updated = await db
        .updateTable('attempts')
        .set((eb) => ({ status: newStatus, completed_at: eb.fn.coalesce('completed_at', eb.val(at)) }))
        .where('attempt_key', '=', key)
        .returningAll()
        .executeTakeFirst();
      if (updated === undefined) throw new ContactStoreNotFoundError(`no attempt ${key}`);
      return toAttempt(updated);
    },

    async getAttempt(attemptKey: string): Promise<AttemptRecord | undefined> {
      return find(db, 'attempt_key', attemptKeySchema.parse(attemptKey));
    },

    /** The attempt a status callback is about. */
    async findAttemptByProviderId(providerId: string): Promise<AttemptRecord | undefined> {
      return find(db, 'provider_id', providerIdSchema.parse(providerId));
    },
  };
}

async function find(
  db: StoreDatabase,
  column: 'attempt_key' | 'provider_id',
  value: string,
): Promise<AttemptRecord | undefined> {
  const row = await db.selectFrom('attempts').selectAll().where(column, '=', value).executeTakeFirst();
  return row === undefined ? undefined : toAttempt(row);
}

async function mustFind(db: StoreDatabase, attemptKey: string): Promise<AttemptRecord> {
  const attempt = await find(db, 'attempt_key', attemptKey);
  if (attempt === undefined) throw new ContactStoreNotFoundError(`no attempt ${attemptKey}`);
  return attempt;
}

function toAttempt(row: AttemptsTable): AttemptRecord {
  return {
    attemptKey: row.attempt_key,
    channel: channelSchema.parse(row.channel),
    to: row.to_address,
    startedAt: Number(row.started_at),
    providerId: row.provider_id,
    status: row.status,
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
  };
}
