import { z } from 'zod';
import { contactSchema } from '../policy/contact-request';
import { instantSchema } from '../policy/vocabulary';
import { defaultReminderOffsets, reminderOffsetSchema } from './reminder-offset';
import { callbackRequestSchema } from '../callbacks/callback-request';

/** The booking system's id of an appointment; the reminder's workflow id is derived from it. */
export const appointmentIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, {
  error: 'expected 1–128 letters, digits, dot, underscore, colon or dash, e.g. appt-2027-0042',
});

/** One reminder series per appointment id: the same appointment booked twice reminds once. */
export function reminderWorkflowId(appointmentId: string): string {
  return `reminder-${appointmentId}`;
}

/** What the booking system tells us about an appointment (client, API, CLI and import rows). */
export const appointmentSchema = z.object({
  appointmentId: appointmentIdSchema,
  /** When the appointment starts. */
  at: instantSchema,
  contact: contactSchema,
  /** Language of the messages. @default "en" */
  locale: z.string().min(2).max(35).default('en'),
  /** @default 2 days before by e-mail, 1 day before by SMS (both ask to confirm), 2 hours before by SMS */
  offsets: z.array(reminderOffsetSchema).min(1).max(10).default(defaultReminderOffsets),
  /**
   * When the customer has not confirmed this many hours before, an agent calls them: a callback for
   * the reminder desk's skill is started (state `agent-call-requested`). Unset: nobody calls. @default unset
   */
  agentCallHoursBefore: z.number().int().min(1).max(168).optional(),
  /** How far a reminder may move earlier to stay inside the calling window. @default 12 */
  maxEarlierHours: z.number().min(0).max(48).default(12),
});
export type Appointment = z.output<typeof appointmentSchema>;
export type AppointmentInput = z.input<typeof appointmentSchema>;

/** The workflow's input: the appointment plus what the client adds (never a raw address in ids). */
export const appointmentReminderInputSchema = appointmentSchema.extend({
  /** Keyed hash of the customer (domain/customer-key.ts). */
  customerKey: z.string().min(1),
  /** The name customers see. @default "Recontact" */
  company: z.string().min(1).max(60).default('Recontact'),
  /**
   * The callback an unconfirmed appointment starts (prepared by the client: the customer's callback
   * id and request). Without it the agent call task is only recorded.
   */
  agentCall: z.object({ callbackWorkflowId: z.string().min(1), request: callbackRequestSchema }).optional(),
});
export type AppointmentReminderInput = z.input<typeof appointmentReminderInputSchema>;
