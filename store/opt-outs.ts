import { z } from 'zod';
import { channelSchema, type Channel } from '../domain/policy';
import type { StoreDatabase } from './create-database';
import type { OptOutsTable } from './tables';
import {
  addressSchema,
  codeSchema,
  instantInputSchema,
  optOutChannelSchema,
  type OptOutChannel,
} from './values';

export const recordOptOutInputSchema = z.object({
  address: addressSchema,
  /** The channel the person opted out of, or `all` (STOPALL, a refusal on a call, …). */
  channel: optOutChannelSchema,
  /** Where it came from: `sms-stop`, `unsubscribe-link`, `agent`, `import`, … */
  source: codeSchema,
  at: instantInputSchema,
});
export type RecordOptOutInput = z.input<typeof recordOptOutInputSchema>;

/** A standing opt-out. Kept until the person opts back in; never expired. */
export interface OptOutRecord {
  readonly address: string;
  readonly channel: OptOutChannel;
  readonly source: string;
  /** Epoch ms of the first time it was recorded. */
  readonly optedOutAt: number;
}

export interface OptOutFilter {
  readonly address?: string;
  readonly channel?: OptOutChannel;
}

/** The source of an opt-out the customer made by texting STOP: the only one their START lifts. */
export const SMS_STOP_SOURCE = 'sms-stop';

export function createOptOuts(db: StoreDatabase) {
  return {
    /**
     * Records an opt-out; recording it again (a repeated STOP, a retried webhook) keeps the first
     * time and source — except that an opt-out only a STOP had recorded takes the new source when
     * another one records it too (an agent, an import): START must not lift what someone else said.
     * `created` says whether this call was the first.
     */
    async recordOptOut(input: RecordOptOutInput): Promise<{ optOut: OptOutRecord; created: boolean }> {
      const { address, channel, source, at } = recordOptOutInputSchema.parse(input);
      const inserted = await db
        .insertInto('opt_outs')
        .values({ address, channel, source, opted_out_at: at })
        .onConflict((conflict) => conflict.columns(['address', 'channel']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { optOut: toOptOut(inserted), created: true };
      if (source !== SMS_STOP_SOURCE) {
        await db
          .updateTable('opt_outs')
          .set({ source })
          .where('address', '=', address)
          .where('channel', '=', channel)
          .where('source', '=', SMS_STOP_SOURCE)
          .execute();
      }
      const existing = await db
        .selectFrom('opt_outs')
        .selectAll()
        .where('address', '=', address)
        .where('channel', '=', channel)
        .executeTakeFirstOrThrow();
      return { optOut: toOptOut(existing), created: false };
    },

    /**
     * Opts back in on exactly this channel (START/UNSTOP over SMS removes `sms`; an `all` opt-out
     * stays until it is removed by name). @returns whether there was an opt-out to remove
     */
    async removeOptOut(address: string, channel: OptOutChannel): Promise<boolean> {
      const result = await db
        .deleteFrom('opt_outs')
        .where('address', '=', addressSchema.parse(address))
        .where('channel', '=', optOutChannelSchema.parse(channel))
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /**
     * Lifts the opt-outs of `address` that came from `source` and from nowhere else, on any
     * channel. START calls it with `sms-stop`: an opt-out from an unsubscribe link, an agent, the
     * provider or an import is the person's (or the law's) word given elsewhere, and stays.
     * @returns how many opt-outs were lifted
     */
    async removeOptOutsFrom(address: string, source: string): Promise<number> {
      const result = await db
        .deleteFrom('opt_outs')
        .where('address', '=', addressSchema.parse(address))
        .where('source', '=', codeSchema.parse(source))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** True when the address opted out of this channel or of `all`. */
    async isOptedOut(address: string, channel: Channel): Promise<boolean> {
      return (await coveringOptOut(db, address, channel)) !== undefined;
    },

    /** Opt-outs, oldest first, optionally for one address and/or one channel row. */
    async listOptOuts(filter: OptOutFilter = {}): Promise<OptOutRecord[]> {
      let query = db.selectFrom('opt_outs').selectAll();
      if (filter.address !== undefined)
        query = query.where('address', '=', addressSchema.parse(filter.address));
      if (filter.channel !== undefined)
        query = query.where('channel', '=', optOutChannelSchema.parse(filter.channel));
      const rows = await query.orderBy('opted_out_at').orderBy('address').orderBy('channel').execute();
      return rows.map(toOptOut);
    },
  };
}

/** The opt-out (channel-specific first, then `all`) that stops contacting `address` on `channel`. */
export async function coveringOptOut(
  db: StoreDatabase,
  address: string,
  channel: Channel,
): Promise<OptOutRecord | undefined> {
  const wanted = channelSchema.parse(channel);
  const rows = await db
    .selectFrom('opt_outs')
    .selectAll()
    .where('address', '=', addressSchema.parse(address))
    .where('channel', 'in', [wanted, 'all'])
    .execute();
  const row = rows.find((candidate) => candidate.channel === wanted) ?? rows[0];
  return row === undefined ? undefined : toOptOut(row);
}

function toOptOut(row: OptOutsTable): OptOutRecord {
  return {
    address: row.address,
    channel: optOutChannelSchema.parse(row.channel),
    source: row.source,
    optedOutAt: Number(row.opted_out_at),
  };
}
