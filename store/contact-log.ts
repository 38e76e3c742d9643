import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  categorySchema,
  channelSchema,
  purposeSchema,
  type Category,
  type Channel,
  type Purpose,
} from '../domain/policy';
import type { StoreDatabase } from './create-database';
import type { ContactLogTable } from './tables';
import { addressSchema, codeSchema, customerKeySchema, instantInputSchema } from './values';

export const logContactInputSchema = z.object({
  customerKey: customerKeySchema,
  address: addressSchema,
  channel: channelSchema,
  purpose: purposeSchema,
  category: categorySchema,
  at: instantInputSchema,
  /** How it ended: `sent`, `delivered`, `answered`, `voicemail`, `no-answer`, `failed`, … */
  outcome: codeSchema,
  /** Detail for reports, e.g. a provider error code. */
  reason: z.string().max(1000).nullable().optional(),
  /** The outreach (workflow) that made the contact; frequency caps leave its own retries to its ladder. */
  workflowId: z.string().min(1).max(1000).nullable().optional(),
  /**
   * Makes logging idempotent: pass the attempt key so a retried activity logs the contact once.
   * @default a random id
   */
  entryId: z.string().min(1).max(300).optional(),
});
export type LogContactInput = z.input<typeof logContactInputSchema>;

/** One touch of a customer: who, when, on which channel, why, and how it ended. */
export interface ContactLogRecord {
  readonly entryId: string;
  readonly customerKey: string;
  readonly address: string;
  readonly channel: Channel;
  readonly purpose: Purpose;
  readonly category: Category;
  /** Epoch ms. */
  readonly at: number;
  readonly outcome: string;
  readonly reason: string | null;
  readonly workflowId: string | null;
}

/**
 * The outcome of a touch that is about to happen: written, under the customer's lock, by the final
 * contact decision right before the provider is called (activities/channels/contact-gate.ts), so a
 * concurrent send to the same customer counts it against the frequency caps. Logging the real
 * outcome under the same entry id replaces it; a send that fails for good deletes it.
 */
export const RESERVED_OUTCOME = 'reserved';
/**
 * How long a reservation counts without its send being logged: longer than a channel activity's
 * whole retry schedule (12 tries over about 20 minutes, workflows/activity-proxies.ts). A send whose
 * retries all failed for a transient reason leaves its reservation behind; it stops counting then.
 */
export const RESERVATION_LEASE_MS = 30 * 60_000;

export function createContactLog(db: StoreDatabase) {
  return {
    /**
     * Appends a touch; with an `entryId` already logged, returns that entry instead (`created: false`),
     * except that a reservation (`RESERVED_OUTCOME`) under that id takes the new outcome and time.
     */
    async logContact(input: LogContactInput): Promise<{ entry: ContactLogRecord; created: boolean }> {
      const parsed = logContactInputSchema.parse(input);
      const entryId = parsed.entryId ?? randomUUID();
      const inserted = await db
        .insertInto('contact_log')
        .values({
          entry_id: entryId,
          customer_key: parsed.customerKey,
          address: parsed.address,
          channel: parsed.channel,
          purpose: parsed.purpose,
          category: parsed.category,
          at: parsed.at,
          outcome: parsed.outcome,
          reason: parsed.reason ?? null,
          workflow_id: parsed.workflowId ?? null,
        })
        .onConflict((conflict) =>
          conflict
            .column('entry_id')
            .doUpdateSet({ outcome: parsed.outcome, at: parsed.at, reason: parsed.reason ?? null })
            .where('contact_log.outcome', '=', RESERVED_OUTCOME),
        )
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { entry: toEntry(inserted), created: true };
      const existing = await db
        .selectFrom('contact_log')
        .selectAll()
        .where('entry_id', '=', entryId)
        .executeTakeFirstOrThrow();
      return { entry: toEntry(existing), created: false };
    },

    /**
     * The customer's touches at or after `sinceMs` (inclusive), oldest first. Touches logged with
     * a time after now are included: a clock slightly off must not open a gap in a frequency cap.
     */
    async recentContacts(customerKey: string, sinceMs: number): Promise<ContactLogRecord[]> {
      const rows = await db
        .selectFrom('contact_log')
        .selectAll()
        .where('customer_key', '=', customerKeySchema.parse(customerKey))
        .where('at', '>=', instantInputSchema.parse(sinceMs))
        .orderBy('at')
        .orderBy('entry_id')
        .execute();
      return rows.map(toEntry);
    },

    /** Drops the reservation `entryId` holds, if it is still one: the send it was for did not happen. */
    async releaseReservation(entryId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('contact_log')
        .where('entry_id', '=', entryId)
        .where('outcome', '=', RESERVED_OUTCOME)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Retention: deletes touches before `beforeMs` (exclusive). @returns how many were deleted */
    async pruneContactLog(beforeMs: number): Promise<number> {
      const result = await db
        .deleteFrom('contact_log')
        .where('at', '<', instantInputSchema.parse(beforeMs))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function toEntry(row: ContactLogTable): ContactLogRecord {
  return {
    entryId: row.entry_id,
    customerKey: row.customer_key,
    address: row.address,
    channel: channelSchema.parse(row.channel),
    purpose: purposeSchema.parse(row.purpose),
    category: categorySchema.parse(row.category),
    at: Number(row.at),
    outcome: row.outcome,
    reason: row.reason,
    workflowId: row.workflow_id,
  };
}
