import { z } from 'zod';
import {
  categorySchema,
  channelSchema,
  countryCodeSchema,
  instantSchema,
  purposeSchema,
  timeZoneSchema,
} from './vocabulary';

/** The person to reach, as far as we know them. */
export const contactSchema = z.object({
  /** E.164, e.g. `+34911234567`. Needed for voice and SMS. */
  phone: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, { error: 'expected an E.164 number such as +34911234567' })
    .optional(),
  /** Needed for email. */
  email: z.email().optional(),
  /** The zone the person is known to be in (from their profile or address). Wins over candidates. */
  timeZone: timeZoneSchema.optional(),
  /**
   * Every zone the number may be in (e.g. from libphonenumber's geocoder) when the zone is not known; a
   * contact is allowed only when it is inside the window in all of them.
   */
  candidateTimeZones: z.array(timeZoneSchema).default([]),
  /** ISO 3166-1 alpha-2 country whose rules apply; unknown → `otherCountries`. */
  country: countryCodeSchema.optional(),
  locale: z.string().min(1).optional(),
});
export type Contact = z.output<typeof contactSchema>;

/** One earlier touch of this person (sent or attempted). */
export const contactLogEntrySchema = z.object({
  at: instantSchema,
  channel: channelSchema,
  purpose: purposeSchema,
  category: categorySchema,
  /** Lets caps leave retries of the same outreach to the retry ladder. */
  outreachId: z.string().min(1).optional(),
});
export type ContactLogEntry = z.output<typeof contactLogEntrySchema>;

/**
 * A recorded wish not to be contacted (STOP reply, unsubscribe link, refusal on a call). A missing
 * channel/category/purpose means "all"; `until` makes it temporary (France: 60 days after a refusal).
 */
export const optOutSchema = z.object({
  channel: channelSchema.optional(),
  category: categorySchema.optional(),
  purpose: purposeSchema.optional(),
  at: instantSchema.optional(),
  until: instantSchema.optional(),
  /** Where it came from, shown in the explanation: `sms-stop`, `unsubscribe-link`, `agent`. */
  source: z.string().min(1),
});
export type OptOut = z.output<typeof optOutSchema>;

/** Everything the engine needs to decide one contact. */
export const contactRequestSchema = z.object({
  contact: contactSchema,
  channel: channelSchema,
  purpose: purposeSchema,
  /** @default the rules' `purposeCategories[purpose]` */
  category: categorySchema.optional(),
  /** The instant the contact would happen. */
  now: instantSchema,
  contactLog: z.array(contactLogEntrySchema).default([]),
  optOuts: z.array(optOutSchema).default([]),
  /** Do-not-contact flag on the customer (legal hold, deceased, litigation...). */
  doNotContact: z.boolean().default(false),
  /** The outreach (workflow) asking; its own earlier attempts are left to the retry ladder. */
  outreachId: z.string().min(1).optional(),
  /** @default true when the rules' `centreHours.requiredFor` lists this channel and purpose */
  needsAgent: z.boolean().optional(),
  /**
   * When the customer contacted us (their abandoned call) if this touch replies to it: the rules'
   * `replyToCustomerContact` may let such a reply go at any hour shortly after.
   */
  customerContactAt: instantSchema.optional(),
});
/** A request after validation (defaults applied): what `decideContact` takes. */
export type ContactRequest = z.output<typeof contactRequestSchema>;
/** A request as callers write it. */
export type ContactRequestInput = z.input<typeof contactRequestSchema>;
