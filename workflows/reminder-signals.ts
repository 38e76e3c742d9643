import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PlannedReminder } from '../domain/reminders';
import type { TimelineEntry } from './run-state';

export type { TimelineEntry } from './run-state';

// The appointment reminder's signals and query, defined once for the workflow, the client, the API
// and the signed-link handler.

/** The booking system moved the appointment: the remaining reminders follow the new time. */
export const rescheduleReminderSignal = defineSignal<[{ at: string }]>('rescheduleAppointment');

/** The booking system cancelled the appointment: no more reminders. */
export const cancelReminderSignal = defineSignal<[{ reason?: string }]>('cancelAppointment');

/** The customer answered through a signed e-mail link or an agent on their behalf. */
export interface ReminderResponse {
  action: 'confirm' | 'cancel' | 'reschedule';
  via: 'link' | 'agent';
  /** The appointment time (epoch ms) the link was sent for; a stale link is ignored. */
  forAtMs?: number;
}
export const reminderResponseSignal = defineSignal<[ReminderResponse]>('reminderResponse');

export type ReminderState =
  | 'planning'
  | 'scheduled'
  | 'sending'
  | 'waiting-for-window'
  | 'confirmed'
  | 'reschedule-requested'
  | 'agent-call-requested'
  | 'done';

export type ReminderOutcome =
  | 'confirmed'
  | 'unconfirmed'
  | 'cancelled'
  | 'cancelled-by-customer'
  | 'reschedule-requested'
  | 'past-appointment';

/** One reminder of the current plan and what became of it. */
export interface ReminderProgress extends PlannedReminder {
  /** When it was handed to the provider (workflow time), and the provider's id. */
  sentAt?: string;
  providerId?: string;
  /** Last provider status (SMS: delivered, undelivered, …). */
  deliveryStatus?: string;
  failed?: string;
}

export interface ReminderStatus {
  appointmentId: string;
  /** The current appointment time. */
  appointmentAt: string;
  state: ReminderState;
  outcome?: ReminderOutcome;
  confirmed: boolean;
  agentCallRequested: boolean;
  reminders: ReminderProgress[];
  /** Every event of the series in order (`step`: planned, reminder-sent, confirmed, rescheduled, …). */
  timeline: TimelineEntry[];
}

/** Where the series stands: the current plan, each reminder's fate and every event, in order. */
export const reminderStatusQuery = defineQuery<ReminderStatus>('reminderStatus');
