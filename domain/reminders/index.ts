/**
 * Appointment reminders: what a reminder series is and what a reply means. Pure: no clock, no I/O,
 * no Temporal. Workflow code imports this index, so it leaves out the planning (`plan-reminders.ts`,
 * `local-calendar.ts`): that is zone arithmetic with luxon, run by the planning activity, and the
 * workflow bundle carries no luxon (docs/zone-arithmetic.md).
 */
export {
  appointmentIdSchema,
  appointmentReminderInputSchema,
  appointmentSchema,
  reminderWorkflowId,
} from './appointment-reminder-input';
export type { Appointment, AppointmentInput, AppointmentReminderInput } from './appointment-reminder-input';
export type { PlannedReminder, PlanRemindersInput, PolicyAnswer, ReminderSkipReason } from './plan-reminders';
export { defaultReminderOffsets, offsetLabel, reminderOffsetSchema } from './reminder-offset';
export type { ReminderOffset, ReminderOffsetInput } from './reminder-offset';
export { classifyReminderReply } from './reply-intent';
export type { ReminderReplyIntent } from './reply-intent';
