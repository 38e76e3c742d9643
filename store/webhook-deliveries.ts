import { z } from 'zod';
import type { StoreDatabase } from './create-database';
import { instantInputSchema } from './values';

const idempotencyTokenSchema = z.string().min(1).max(500);

export function createWebhookDeliveries(db: StoreDatabase) {
  return {
    /**
     * Claims a webhook delivery by its idempotency token (Twilio's `I-Twilio-Idempotency-Token`).
     * True for exactly one caller, however many deliveries race, in however many processes: one
     * insert against a primary key decides. Claim before acting; a delivery that gets false is a
     * duplicate to acknowledge and drop; if acting fails, `releaseWebhook` and answer with an error
     * so the provider delivers it again.
     */
    async markWebhookProcessed(
      idempotencyToken: string,
      at: number | string | Date = Date.now(),
    ): Promise<boolean> {
      const inserted = await db
        .insertInto('processed_webhooks')
        .values({
          idempotency_token: idempotencyTokenSchema.parse(idempotencyToken),
          processed_at: instantInputSchema.parse(at),
        })
        .onConflict((conflict) => conflict.column('idempotency_token').doNothing())
        .returning('idempotency_token')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    /**
     * Gives a claim back when processing it failed, so the provider's next delivery of the same
     * token is processed instead of dropped. @returns whether the token was claimed
     */
    async releaseWebhook(idempotencyToken: string): Promise<boolean> {
      const result = await db
        .deleteFrom('processed_webhooks')
        .where('idempotency_token', '=', idempotencyTokenSchema.parse(idempotencyToken))
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /**
     * Retention: forgets tokens claimed before `beforeMs`. Keep them longer than the provider
     * retries (Twilio: hours), e.g. prune what is older than 7 days. @returns how many were deleted
     */
    async forgetProcessedWebhooks(beforeMs: number): Promise<number> {
      const result = await db
        .deleteFrom('processed_webhooks')
        .where('processed_at', '<', instantInputSchema.parse(beforeMs))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
