import { z } from 'zod';
import type { StoreDatabase } from './create-database';
import type { DoNotContactTable } from './tables';
import { addressSchema, codeSchema, instantInputSchema } from './values';

export const addDoNotContactInputSchema = z.object({
  address: addressSchema,
  /** Why, for the people who read reports: `legal hold`, `deceased`, `asked on the phone`, … */
  reason: z.string().min(1).max(500),
  /** Who put it there: `agent`, `import`, `crm`, … */
  source: codeSchema,
  at: instantInputSchema,
});
export type AddDoNotContactInput = z.input<typeof addDoNotContactInputSchema>;

/** An address that must never be contacted, on any channel, for any purpose. */
export interface DoNotContactEntry {
  readonly address: string;
  readonly reason: string;
  readonly source: string;
  /** Epoch ms of the first time it was added. */
  readonly addedAt: number;
}

export function createDoNotContact(db: StoreDatabase) {
  return {
    /** Adds the address; adding it again keeps the first reason, source and time. */
    async addDoNotContact(
      input: AddDoNotContactInput,
    ): Promise<{ entry: DoNotContactEntry; created: boolean }> {
      const { address, reason, source, at } = addDoNotContactInputSchema.parse(input);
      const inserted = await db
        .insertInto('do_not_contact')
        .values({ address, reason, source, added_at: at })
        .onConflict((conflict) => conflict.column('address').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { entry: toEntry(inserted), created: true };
      const existing = await db
        .selectFrom('do_not_contact')
        .selectAll()
        .where('address', '=', address)
        .executeTakeFirstOrThrow();
      return { entry: toEntry(existing), created: false };
    },

    /** @returns whether the address was on the list */
    async removeDoNotContact(address: string): Promise<boolean> {
      const result = await db
        .deleteFrom('do_not_contact')
        .where('address', '=', addressSchema.parse(address))
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async isDoNotContact(address: string): Promise<boolean> {
      return (await findDoNotContact(db, address)) !== undefined;
    },

    async getDoNotContact(address: string): Promise<DoNotContactEntry | undefined> {
      return findDoNotContact(db, address);
    },

    /** Every entry, oldest first. */
    async listDoNotContact(): Promise<DoNotContactEntry[]> {
      const rows = await db
        .selectFrom('do_not_contact')
        .selectAll()
        .orderBy('added_at')
        .orderBy('address')
        .execute();
      return rows.map(toEntry);
    },
  };
}

export async function findDoNotContact(
  db: StoreDatabase,
  address: string,
): Promise<DoNotContactEntry | undefined> {
  const row = await db
    .selectFrom('do_not_contact')
    .selectAll()
    .where('address', '=', addressSchema.parse(address))
    .executeTakeFirst();
  return row === undefined ? undefined : toEntry(row);
}

function toEntry(row: DoNotContactTable): DoNotContactEntry {
  return { address: row.address, reason: row.reason, source: row.source, addedAt: Number(row.added_at) };
}
