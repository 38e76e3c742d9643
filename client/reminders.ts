import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { CallbackRequest } from '../domain/callbacks';
import { customerKeyFor } from '../domain/customer-key';
import { instantSchema } from '../domain/policy';
import { appointmentSchema, reminderWorkflowId, type AppointmentInput } from '../domain/reminders';
import { appointmentReminder } from '../workflows/appointment-reminder';
import {
  cancelReminderSignal,
  reminderResponseSignal,
  reminderStatusQuery,
  rescheduleReminderSignal,
  type ReminderResponse,
  type ReminderStatus,
} from '../workflows/reminder-signals';
import { searchAttributes } from '../workflows/search-attributes';
import { callbackWorkflowIdFor } from './callbacks';
import { parseOrThrow, InvalidRequestError } from './invalid-request';
import { listOutreach, type OutreachSummary } from './outreach-summary';
import { queryIfExists, signalIfRunning, startOnce, type StartResult } from './run-handles';

export interface ReminderClientOptions {
  temporal: Client;
  taskQueue: string;
  /** CUSTOMER_KEY_SECRET (or the persisted one): customer keys must match the workers'. */
  customerKeySecret: string;
  /** The name customers see. @default "Recontact" */
  company?: string;
  /** Clock for "is the appointment in the future". @default Date.now */
  clock?: () => number;
  /** The skill (and queue) of the agents who call unconfirmed appointments. @default "reminders" */
  agentCallSkill?: string;
}

/** An appointment as callers send it: at least a phone number or an e-mail address. */
export const reminderRequestSchema = appointmentSchema.refine(
  (appointment) => appointment.contact.phone !== undefined || appointment.contact.email !== undefined,
  { error: 'give contact.phone or contact.email', path: ['contact'] },
);

export const rescheduleRequestSchema = z.object({ at: instantSchema });
export const cancelRequestSchema = z.object({ reason: z.string().min(1).max(200).optional() });

export const reminderListFilterSchema = z.object({
  state: z
    .string()
    .regex(/^[a-z-]{1,40}$/, 'lower-case letters and dashes, e.g. scheduled')
    .optional(),
  open: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ReminderListFilter = z.input<typeof reminderListFilterSchema>;

export type ReminderSummary = OutreachSummary & { appointmentId: string };

/**
 * Appointment reminders: one `appointmentReminder` series per appointment id, started once.
 *
 * @example
 * const { workflowId } = await recontact.reminders.start({
 *   appointmentId: 'appt-42', at: '2027-03-15T14:00:00Z',
 *   contact: { phone: '+14155550100', timeZone: 'America/New_York', country: 'US' },
 * });
 * await recontact.reminders.reschedule('appt-42', { at: '2027-03-16T09:00:00Z' });
 */
export class ReminderClient {
  constructor(private readonly options: ReminderClientOptions) {}

  /** The series of an appointment: `reminder-<appointment id>`. */
  workflowIdFor(appointmentId: string): string {
    return reminderWorkflowId(appointmentId);
  }

  /**
   * Starts the reminder series of an appointment; the same appointment id twice starts it once.
   * Refuses, with the field and rule, an appointment that is invalid or already past.
   */
  async start(request: AppointmentInput): Promise<StartResult> {
    const appointment = parseOrThrow(reminderRequestSchema, request);
    this.refusePast(appointment.at, 'at');
    const address = appointment.contact.phone ?? appointment.contact.email ?? '';
    const customerKey = customerKeyFor(address, this.options.customerKeySecret);
    return startOnce(this.options.temporal, appointmentReminder, {
      taskQueue: this.options.taskQueue,
      workflowId: this.workflowIdFor(appointment.appointmentId),
      // Listed and filterable from the start, before a worker has run the first task.
      typedSearchAttributes: [
        { key: searchAttributes.Kind, value: 'reminder' },
        { key: searchAttributes.Customer, value: customerKey },
        { key: searchAttributes.State, value: 'planning' },
      ],
      args: [
        {
          ...appointment,
          customerKey,
          ...(this.options.company ? { company: this.options.company } : {}),
          ...agentCallFor(appointment, customerKey, this.options),
        },
      ],
    });
  }

  /** The series' plan, each reminder's fate and its timeline; undefined when there is none. */
  status(appointmentId: string): Promise<ReminderStatus | undefined> {
    return queryIfExists(this.options.temporal, this.workflowIdFor(appointmentId), reminderStatusQuery);
  }

  /** Moves the appointment; the remaining reminders follow. False when there is no running series. */
  async reschedule(
    appointmentId: string,
    request: z.input<typeof rescheduleRequestSchema>,
  ): Promise<boolean> {
    const { at } = parseOrThrow(rescheduleRequestSchema, request);
    this.refusePast(at, 'at');
    return signalIfRunning(this.options.temporal, this.workflowIdFor(appointmentId), (handle) =>
      handle.signal(rescheduleReminderSignal, { at }),
    );
  }

  /** Cancels the appointment's remaining reminders. False when there is no running series. */
  async cancel(appointmentId: string, request: z.input<typeof cancelRequestSchema> = {}): Promise<boolean> {
    const parsed = parseOrThrow(cancelRequestSchema, request);
    return signalIfRunning(this.options.temporal, this.workflowIdFor(appointmentId), (handle) =>
      handle.signal(cancelReminderSignal, parsed),
    );
  }

  /** The customer's answer from a verified link (or an agent on their behalf). False when no series runs. */
  respond(appointmentId: string, response: ReminderResponse): Promise<boolean> {
    return signalIfRunning(this.options.temporal, this.workflowIdFor(appointmentId), (handle) =>
      handle.signal(reminderResponseSignal, response),
    );
  }

  /** Reminder series by state, newest first (a visibility query: dev server or cluster, not time-skipping). */
  async list(filter: ReminderListFilter = {}): Promise<ReminderSummary[]> {
    const parsed = reminderListFilterSchema.parse(filter);
    const clauses = ['Kind = "reminder"', 'WorkflowType = "appointmentReminder"'];
    if (parsed.state !== undefined) clauses.push(`State = "${parsed.state}"`);
    if (parsed.open === true) clauses.push('ExecutionStatus = "Running"');
    if (parsed.open === false) clauses.push('ExecutionStatus != "Running"');
    const runs = await listOutreach(this.options.temporal, clauses.join(' AND '), parsed.limit);
    return runs.map((run) => ({ ...run, appointmentId: run.workflowId.replace(/^reminder-/, '') }));
  }

  private refusePast(at: string, field: string): void {
    if (Date.parse(at) <= (this.options.clock ?? Date.now)()) {
      throw new InvalidRequestError([
        { field, rule: 'future', message: `must be in the future; ${at} has passed` },
      ]);
    }
  }
}

/** The callback an unconfirmed appointment starts: the customer's callback run, for the reminder desk. */
function agentCallFor(
  appointment: AppointmentInput & { appointmentId: string; at: string },
  customerKey: string,
  options: ReminderClientOptions,
): { agentCall?: { callbackWorkflowId: string; request: CallbackRequest } } {
  const phone = appointment.contact.phone;
  if (appointment.agentCallHoursBefore === undefined || phone === undefined) return {};
  const skill = options.agentCallSkill ?? 'reminders';
  return {
    agentCall: {
      callbackWorkflowId: callbackWorkflowIdFor(phone, options.customerKeySecret),
      request: {
        origin: 'scheduled',
        requestId: `reminder-${appointment.appointmentId}`,
        customerKey,
        phone,
        ...(appointment.contact.timeZone !== undefined ? { timeZone: appointment.contact.timeZone } : {}),
        ...(appointment.contact.country !== undefined ? { country: appointment.contact.country } : {}),
        ...(appointment.locale !== undefined ? { language: appointment.locale } : {}),
        queue: skill,
        skill,
        reason: `Appointment ${appointment.appointmentId} at ${appointment.at} is not confirmed`,
        waitedSeconds: 0,
        // Replaced by the workflow with the time the call is asked for.
        requestedAt: appointment.at,
        priorityPoints: 0,
        abandonCount: 1,
      },
    },
  };
}
