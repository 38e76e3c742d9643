import { z } from 'zod';
import { purposeSchema } from '../domain/policy';
import type { ReplyWait } from '../domain/replies/choose-reply-route';
import type { StoreDatabase } from './create-database';
import { addressSchema, instantInputSchema } from './values';

export const expectReplyInputSchema = z.object({
  address: addressSchema,
  workflowId: z.string().min(1).max(1000),
  /** What the outreach is about: which words of a reply can mean something to it. */
  purpose: purposeSchema,
  /** When it asked (the SMS that asks was accepted). */
  askedAt: instantInputSchema,
  /** Until when a reply may belong to this workflow. */
  until: instantInputSchema,
});
export type ExpectReplyInput = z.input<typeof expectReplyInputSchema>;

export function createReplyRoutes(db: StoreDatabase) {
  return {
    /**
     * Records that `workflowId` waits for an SMS answer from `address` until `until`. Asking again
     * moves its question to `askedAt`; other outreach waiting for the same number keep theirs: which
     * one a reply answers is decided when it arrives (domain/replies/choose-reply-route.ts).
     */
    async expectReply(input: ExpectReplyInput): Promise<void> {
      const { address, workflowId, purpose, askedAt, until } = expectReplyInputSchema.parse(input);
      await db
        .insertInto('reply_waits')
        .values({ address, workflow_id: workflowId, purpose, asked_at: askedAt, expires_at: until })
        .onConflict((conflict) =>
          conflict
            .columns(['address', 'workflow_id'])
            .doUpdateSet({ purpose, asked_at: askedAt, expires_at: until }),
        )
        .execute();
    },

    /** The outreach waiting for an answer from `address` at `now`, latest question first. */
    async listReplyWaits(address: string, now: number = Date.now()): Promise<ReplyWait[]> {
      const rows = await db
        .selectFrom('reply_waits')
        .select(['workflow_id', 'purpose', 'asked_at'])
        .where('address', '=', addressSchema.parse(address))
        .where('expires_at', '>', now)
        .orderBy('asked_at', 'desc')
        .orderBy('workflow_id')
        .execute();
      return rows.map((row) => {
        const purpose = purposeSchema.safeParse(row.purpose);
        return {
          workflowId: row.workflow_id,
          purpose: purpose.success ? purpose.data : 'any',
          askedAtMs: Number(row.asked_at),
        };
      });
    },

    /**
     * `workflowId` waits for no answer any more (it finished, or it stopped asking), from `address`
     * or from anyone. @returns how many waits were released
     */
    async releaseReplyWaits(workflowId: string, address?: string): Promise<number> {
      let query = db.deleteFrom('reply_waits').where('workflow_id', '=', workflowId);
      if (address !== undefined) query = query.where('address', '=', addressSchema.parse(address));
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** The workflow that sent the latest SMS to `address` (from the contact log), if any. */
    async lastSmsSender(address: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('contact_log')
        .select('workflow_id')
        .where('address', '=', addressSchema.parse(address))
        .where('channel', '=', 'sms')
        .where('outcome', '=', 'sent')
        .orderBy('at', 'desc')
        .orderBy('entry_id', 'desc')
        .executeTakeFirst();
      return row?.workflow_id ?? undefined;
    },
  };
}
