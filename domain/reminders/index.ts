/**
 * Appointment reminders: when each reminder of a series goes out, what a reply means. Pure: no
 * clock, no I/O, no Temporal; the policy's answers come in as a function.
 */
export {
  appointmentIdSchema,
  appointmentReminderInputSchema,
  appointmentSchema,
  reminderWorkflowId,
} from './appointment-reminder-input';
export type { Appointment, AppointmentInput, AppointmentReminderInput } from './appointment-reminder-input';
export { sameLocalTimeDaysBefore } from './local-calendar';
export { MOVE_STEP_MS, planReminders } from './plan-reminders';
export type { PlannedReminder, PlanRemindersInput, PolicyAnswer, ReminderSkipReason } from './plan-reminders';
export { defaultReminderOffsets, nominalDueMs, offsetLabel, reminderOffsetSchema } from './reminder-offset';
export type { ReminderOffset, ReminderOffsetInput } from './reminder-offset';
export { classifyReminderReply } from './reply-intent';
export type { ReminderReplyIntent } from './reply-intent';
