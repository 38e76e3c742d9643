import { z } from 'zod';
import { contactSchema } from '../policy/contact-request';
import { instantSchema } from '../policy/vocabulary';

/** A business key (purchase id, occasion id, notice id); workflow ids are derived from it. */
export const courtesyIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, {
  error: 'expected 1–128 letters, digits, dot, underscore, colon or dash, e.g. order-2027-0042',
});

const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a 24-hour local time HH:MM, e.g. 10:00' });

const monthDays = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const dayExists = (date: { month: number; day: number }) => date.day <= monthDays[date.month - 1]!;

/** A thank-you some time after a purchase. One per purchase id. */
export const thankYouRequestSchema = z.object({
  type: z.literal('thank-you'),
  /** The purchase (order) id. */
  courtesyId: courtesyIdSchema,
  contact: contactSchema,
  channel: z.enum(['sms', 'email']),
  /** How long after the purchase. @default 72 */
  delayHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  locale: z.string().min(2).max(35).default('en'),
});

/**
 * A yearly occasion registered with a purchase (a birthday, an anniversary): every year, `daysBefore`
 * days before the date at `localTime` on the customer's clock, a message or an agent call task,
 * until cancelled. 29 February falls on 28 February in other years.
 */
export const yearlyOccasionRequestSchema = z
  .object({
    type: z.literal('yearly'),
    /** The occasion's id (e.g. `order-42-birthday`). */
    courtesyId: courtesyIdSchema,
    contact: contactSchema,
    /** `agent-call`: records an agent call task instead of sending a message. */
    channel: z.enum(['sms', 'email', 'agent-call']),
    /** What the customer calls it, for the message, e.g. "your mother's birthday". */
    occasion: z.string().min(1).max(60),
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    /** @default 14 */
    daysBefore: z.number().int().min(0).max(60).default(14),
    /** @default "10:00" */
    localTime: localTimeSchema.default('10:00'),
    locale: z.string().min(2).max(35).default('en'),
  })
  .refine(dayExists, { error: 'no such day in that month', path: ['day'] });

/** A service notice (maintenance, outage, a changed opening time) to a list of customers. */
export const serviceNoticeRequestSchema = z.object({
  type: z.literal('notice'),
  /** The notice's id: the same notice sent twice reaches each customer once. */
  courtesyId: courtesyIdSchema,
  channel: z.enum(['sms', 'email']),
  /** E-mail subject (e-mail notices). */
  subject: z.string().min(1).max(80).default('Service notice'),
  message: z.string().min(1).max(300),
  /** Give up on anyone not reached by then: a notice that is no longer true is not sent. */
  notAfter: instantSchema.optional(),
  recipients: z.array(contactSchema).min(1).max(1000),
  locale: z.string().min(2).max(35).default('en'),
});

/** Every courtesy outreach a caller can ask for. */
export const courtesyRequestSchema = z.discriminatedUnion('type', [
  thankYouRequestSchema,
  yearlyOccasionRequestSchema,
  serviceNoticeRequestSchema,
]);
export type CourtesyRequest = z.output<typeof courtesyRequestSchema>;
export type CourtesyRequestInput = z.input<typeof courtesyRequestSchema>;

/**
 * Moving a courtesy outreach: a thank-you goes at `at` instead; a yearly occasion moves to another
 * date (from the next outreach on). A notice cannot be moved: cancel it and send another.
 */
export const courtesyRescheduleSchema = z.union([
  z.object({ at: instantSchema }),
  z
    .object({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) })
    .refine(dayExists, { error: 'no such day in that month', path: ['day'] }),
]);
export type CourtesyReschedule = z.output<typeof courtesyRescheduleSchema>;

/** Workflow id of a courtesy outreach: `courtesy-<id>` or, for notices, `notice-<id>`. */
export function courtesyWorkflowId(request: { type: CourtesyRequest['type']; courtesyId: string }): string {
  return `${request.type === 'notice' ? 'notice' : 'courtesy'}-${request.courtesyId}`;
}

/** The workflow's input: the request plus the keyed customer hashes the client adds. */
export const courtesyMessageInputSchema = z.object({
  request: courtesyRequestSchema,
  /** One per contact (thank-you, yearly: one; notice: one per recipient, same order). */
  customerKeys: z.array(z.string().min(1)).min(1),
  company: z.string().min(1).max(60).default('Recontact'),
});
export type CourtesyMessageInput = z.input<typeof courtesyMessageInputSchema>;
