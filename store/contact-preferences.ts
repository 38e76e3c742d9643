import { z } from 'zod';
import { channelSchema, timeZoneSchema, type Channel } from '../domain/policy';
import type { StoreDatabase } from './create-database';
import type { ContactPreferencesTable } from './tables';
import { customerKeySchema, instantInputSchema } from './values';

/** A BCP 47 language tag such as `es`, `en-GB` or `pt-BR`, as Intl understands it. */
const localeSchema = z.string().refine(
  (value) => {
    try {
      return Intl.getCanonicalLocales(value).length === 1;
    } catch {
      return false;
    }
  },
  { error: 'expected a BCP 47 language tag such as es or en-GB' },
);

/**
 * Sets some of a customer's preferences. A field left out keeps its stored value; `null` clears it.
 */
export const setPreferencesInputSchema = z.object({
  /** The customer (CRM id) or, when there is none, their normalised address. */
  customerKey: customerKeySchema,
  preferredChannel: channelSchema.nullable().optional(),
  locale: localeSchema.nullable().optional(),
  /** IANA zone, e.g. `Europe/Madrid`. */
  timeZone: timeZoneSchema.nullable().optional(),
  updatedAt: instantInputSchema,
});
export type SetPreferencesInput = z.input<typeof setPreferencesInputSchema>;

export interface ContactPreferences {
  readonly customerKey: string;
  readonly preferredChannel: Channel | null;
  readonly locale: string | null;
  readonly timeZone: string | null;
  /** Epoch ms of the last change. */
  readonly updatedAt: number;
}

export function createContactPreferences(db: StoreDatabase) {
  return {
    /** Upserts in one statement, so two concurrent partial updates of different fields both stick. */
    async setPreferences(input: SetPreferencesInput): Promise<ContactPreferences> {
      const { customerKey, preferredChannel, locale, timeZone, updatedAt } =
        setPreferencesInputSchema.parse(input);
      const row = await db
        .insertInto('contact_preferences')
        .values({
          customer_key: customerKey,
          preferred_channel: preferredChannel ?? null,
          locale: locale ?? null,
          time_zone: timeZone ?? null,
          updated_at: updatedAt,
        })
        .onConflict((conflict) =>
          conflict.column('customer_key').doUpdateSet((eb) => ({
            updated_at: eb.ref('excluded.updated_at'),
            ...(preferredChannel !== undefined && {
              preferred_channel: eb.ref('excluded.preferred_channel'),
            }),
            ...(locale !== undefined && { locale: eb.ref('excluded.locale') }),
            ...(timeZone !== undefined && { time_zone: eb.ref('excluded.time_zone') }),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPreferences(row);
    },

    async getPreferences(customerKey: string): Promise<ContactPreferences | undefined> {
      const row = await db
        .selectFrom('contact_preferences')
        .selectAll()
        .where('customer_key', '=', customerKeySchema.parse(customerKey))
        .executeTakeFirst();
      return row === undefined ? undefined : toPreferences(row);
    },
  };
}

function toPreferences(row: ContactPreferencesTable): ContactPreferences {
  return {
    customerKey: row.customer_key,
    preferredChannel: row.preferred_channel === null ? null : channelSchema.parse(row.preferred_channel),
    locale: row.locale,
    timeZone: row.time_zone,
    updatedAt: Number(row.updated_at),
  };
}
