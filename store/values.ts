import { z } from 'zod';
import { channelSchema } from '../domain/policy';

/**
 * An instant as callers have it — epoch milliseconds, an ISO 8601 string with an offset, or a
 * Date — stored and returned as epoch milliseconds.
 */
export const instantInputSchema = z
  .union([
    z.number().int().nonnegative(),
    z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
    z.date().transform((date) => date.getTime()),
  ])
  .refine((epochMs) => Number.isSafeInteger(epochMs) && epochMs >= 0, { error: 'expected a valid instant' });
export type InstantInput = z.input<typeof instantInputSchema>;

/**
 * A phone number in E.164 or a lower-case e-mail address. Callers normalise (libphonenumber-js,
 * `toLowerCase()`); the store refuses anything else so that a STOP from `+34 911…` can never miss
 * a send to `0034911…`.
 */
const E164 = /^\+[1-9]\d{1,14}$/;
const emailSchema = z.email();

export const addressSchema = z
  .string()
  .refine(
    (value) => E164.test(value) || (emailSchema.safeParse(value).success && value === value.toLowerCase()),
    {
      error: 'expected an E.164 number such as +34911234567 or a lower-cased e-mail address',
    },
  );

/** Our key for a customer (CRM id, or their normalised address when there is none). */
export const customerKeySchema = z.string().min(1).max(200);

/** A short machine word such as `sms-stop`, `delivered` or `no-answer`. */
export const codeSchema = z.string().regex(/^[a-z0-9][a-z0-9._:-]{0,63}$/, {
  error: 'expected a lower-case word such as sms-stop (letters, digits, . _ : -; at most 64)',
});

/** A channel, or `all` for every channel. */
export const optOutChannelSchema = z.union([channelSchema, z.literal('all')]);
export type OptOutChannel = z.infer<typeof optOutChannelSchema>;
