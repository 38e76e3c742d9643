import { z } from 'zod';
import type { StoreDatabase } from './create-database';
import { addressSchema, instantInputSchema } from './values';

export const expectReplyInputSchema = z.object({
  address: addressSchema,
  workflowId: z.string().min(1).max(1000),
  /** Until when a reply belongs to this workflow. */
  until: instantInputSchema,
});
export type ExpectReplyInput = z.input<typeof expectReplyInputSchema>;

export function createReplyRoutes(db: StoreDatabase) {
  return {
    /**
     * Routes SMS replies from `address` to `workflowId` until `until`. A later outreach to the
     * same person takes the route over: a reply answers the latest question asked.
     */
    async expectReply(input: ExpectReplyInput): Promise<void> {
      const { address, workflowId, until } = expectReplyInputSchema.parse(input);
      await db
        .insertInto('reply_routes')
        .values({ address, workflow_id: workflowId, expires_at: until })
        .onConflict((conflict) =>
          conflict.column('address').doUpdateSet({ workflow_id: workflowId, expires_at: until }),
        )
        .execute();
    },

    /** The workflow waiting for a reply from `address` at `now`, if any. */
    async findReplyRoute(address: string, now: number = Date.now()): Promise<string | undefined> {
      const row = await db
        .selectFrom('reply_routes')
        .select('workflow_id')
        .where('address', '=', addressSchema.parse(address))
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row?.workflow_id;
    },
  };
}
