import { z } from 'zod';
import { contactSchema } from './policy/contact-request';
import { categorySchema, instantSchema, purposeSchema } from './policy/vocabulary';

/** What a `deliverMessage` run is asked to send: one message to one person on one channel. */
export const deliverMessageInputSchema = z.object({
  channel: z.enum(['sms', 'email']),
  contact: contactSchema,
  /** Keyed hash of the customer (client/customer keys); never the raw address. */
  customerKey: z.string().min(1),
  template: z.string().min(1),
  locale: z.string().min(2).default('en'),
  variables: z.record(z.string(), z.string()).default({}),
  purpose: purposeSchema,
  category: categorySchema.optional(),
  /** Give up rather than deliver after this instant (a notice that is no longer true, say). */
  notAfter: instantSchema.optional(),
  /** How long to wait for the provider's final status of an SMS. @default 1 hour */
  deliveryTimeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export type DeliverMessageInput = z.input<typeof deliverMessageInputSchema>;
