import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { z } from 'zod';
import { customerKeyFor } from '../domain/customer-key';
import type { CallbackRequest } from '../domain/callbacks';
import { callbackWorkflowIdFor } from './callbacks';
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
import { listOutreach, type OutreachSummary } from './outreach-summary';
import { InvalidRequestError, zodProblems } from './invalid-request';

/** What the reminder functions need: the Temporal client, the deployment's task queue and key secret. */
export interface ReminderClientDeps {
  temporal: Client;
  taskQueue: string;
  /** CUSTOMER_KEY_SECRET (or the persisted one): customer keys must match the workers'. */
  customerKeySecret: string;
  /** The name customers see. @default "Recontact" */
  company?: string;
  /** Clock for "is the appointment in the future". @default Date.now */
  now?: () => number;
  /** The skill (and queue) of the agents who call unconfirmed appointments. @default "reminders" */
  agentCallSkill?: string;
}

/** An appointment as callers send it: at least a phone number or an e-mail address. */
export const reminderRequestSchema = appointmentSchema.refine(
  (appointment) => appointment.contact.phone !== undefined || appointment.contact.email !== undefined,
  { error: 'give contact.phone or contact.email', path: ['contact'] },
);

export interface StartResult {
  workflowId: string;
  /** False when a series for this id already exists (a repeated booking, a resumed import). */
  started: boolean;
}

/**
 * Starts the reminder series of an appointment; the same appointment id twice starts it once.
 * Refuses, with the field and rule, an appointment that is invalid or already past.
 *
 * @example
 * await startReminder(deps, { appointmentId: 'appt-42', at: '2027-03-15T14:00:00Z',
 *   contact: { phone: '+14155550100', timeZone: 'America/New_York', country: 'US' } });
 */
export async function startReminder(
  deps: ReminderClientDeps,
  request: AppointmentInput,
): Promise<StartResult> {
  const parsed = reminderRequestSchema.safeParse(request);
  if (!parsed.success) throw new InvalidRequestError(zodProblems(parsed.error.issues));
  const appointment = parsed.data;
  refusePast(appointment.at, 'at', deps.now);
  const address = appointment.contact.phone ?? appointment.contact.email ?? '';
  const workflowId = reminderWorkflowId(appointment.appointmentId);
  const customerKey = customerKeyFor(address, deps.customerKeySecret);
  try {
    await deps.temporal.workflow.start(appointmentReminder, {
      taskQueue: deps.taskQueue,
      workflowId,
      // Idempotent even after the series ended: a re-sent booking must not remind twice.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
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
          ...(deps.company ? { company: deps.company } : {}),
          ...agentCallFor(appointment, customerKey, deps),
        },
      ],
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}

/** The callback an unconfirmed appointment starts: the customer's callback run, for the reminder desk. */
function agentCallFor(
  appointment: AppointmentInput & { appointmentId: string; at: string },
  customerKey: string,
  deps: ReminderClientDeps,
): { agentCall?: { callbackWorkflowId: string; request: CallbackRequest } } {
  const phone = appointment.contact.phone;
  if (appointment.agentCallHoursBefore === undefined || phone === undefined) return {};
  const skill = deps.agentCallSkill ?? 'reminders';
  return {
    agentCall: {
      callbackWorkflowId: callbackWorkflowIdFor(phone, deps.customerKeySecret),
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

function refusePast(at: string, field: string, now: () => number = Date.now): void {
  if (Date.parse(at) <= now()) {
    throw new InvalidRequestError([
      { field, rule: 'future', message: `must be in the future; ${at} has passed` },
    ]);
  }
}

/** The series' plan, each reminder's fate and its timeline; undefined when there is none. */
export async function reminderStatus(
  deps: ReminderClientDeps,
  appointmentId: string,
): Promise<ReminderStatus | undefined> {
  try {
    return await deps.temporal.workflow
      .getHandle(reminderWorkflowId(appointmentId))
      .query(reminderStatusQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

export const rescheduleRequestSchema = z.object({ at: instantSchema });

/** Moves the appointment; the remaining reminders follow. False when there is no running series. */
export async function rescheduleReminder(
  deps: ReminderClientDeps,
  appointmentId: string,
  request: z.input<typeof rescheduleRequestSchema>,
): Promise<boolean> {
  const parsed = rescheduleRequestSchema.safeParse(request);
  if (!parsed.success) throw new InvalidRequestError(zodProblems(parsed.error.issues));
  refusePast(parsed.data.at, 'at', deps.now);
  return signalRunning(deps, appointmentId, (handle) =>
    handle.signal(rescheduleReminderSignal, { at: parsed.data.at }),
  );
}

export const cancelRequestSchema = z.object({ reason: z.string().min(1).max(200).optional() });

/** Cancels the appointment's remaining reminders. False when there is no running series. */
export async function cancelReminder(
  deps: ReminderClientDeps,
  appointmentId: string,
  request: z.input<typeof cancelRequestSchema> = {},
): Promise<boolean> {
  const parsed = cancelRequestSchema.safeParse(request);
  if (!parsed.success) throw new InvalidRequestError(zodProblems(parsed.error.issues));
  return signalRunning(deps, appointmentId, (handle) => handle.signal(cancelReminderSignal, parsed.data));
}

/** The customer's answer from a verified link (or an agent on their behalf). */
export async function respondToReminder(
  deps: Pick<ReminderClientDeps, 'temporal'>,
  appointmentId: string,
  response: ReminderResponse,
): Promise<boolean> {
  return signalRunning(deps, appointmentId, (handle) => handle.signal(reminderResponseSignal, response));
}

async function signalRunning(
  deps: Pick<ReminderClientDeps, 'temporal'>,
  appointmentId: string,
  send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
): Promise<boolean> {
  const handle = deps.temporal.workflow.getHandle(reminderWorkflowId(appointmentId));
  try {
    const described = await handle.describe();
    if (described.status.name !== 'RUNNING') return false;
    await send(handle);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

export const reminderListFilterSchema = z.object({
  state: z
    .string()
    .regex(/^[a-z-]{1,40}$/, 'lower-case letters and dashes, e.g. scheduled')
    .optional(),
  open: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export type ReminderSummary = OutreachSummary & { appointmentId: string };

/** Reminder series by state, newest first (a visibility query: dev server or cluster, not time-skipping). */
export async function listReminders(
  deps: Pick<ReminderClientDeps, 'temporal'>,
  filter: z.input<typeof reminderListFilterSchema> = {},
): Promise<ReminderSummary[]> {
  const parsed = reminderListFilterSchema.parse(filter);
  const clauses = ['Kind = "reminder"', 'WorkflowType = "appointmentReminder"'];
  if (parsed.state !== undefined) clauses.push(`State = "${parsed.state}"`);
  if (parsed.open === true) clauses.push('ExecutionStatus = "Running"');
  if (parsed.open === false) clauses.push('ExecutionStatus != "Running"');
  const runs = await listOutreach(deps.temporal, clauses.join(' AND '), parsed.limit);
  return runs.map((run) => ({ ...run, appointmentId: run.workflowId.replace(/^reminder-/, '') }));
}
