/**
 * Recontact's client library: what other systems (the ACD, the CRM, the survey tool, the booking
 * system) import to start and steer outreach. Published as the package's main entry
 * (`import { RecontactClient } from 'recontact'`); see README, "Use from your code".
 *
 * Modules of client/ not exported here (run-handles, outreach-summary's listOutreach) are helpers
 * of the classes.
 */
export { RecontactClient } from './recontact-client';
export type { RecontactClientOptions } from './recontact-client';
export { connectClient, temporalAddress } from './connection';
export { loadConfig } from '../config/config';
export type { Config } from '../config/config';

// One class per outreach kind, each reachable from RecontactClient or built on its own.
export {
  CallbackClient,
  CallbackRejectedError,
  callbackListFilterSchema,
  callbackWorkflowIdFor,
} from './callbacks';
export type {
  CallbackClientOptions,
  CallbackHandleInfo,
  CallbackListFilter,
  CallbackListItem,
  CallbackTarget,
} from './callbacks';
export { RescueClient } from './rescues';
export type { RescueClientOptions, SurveyReport } from './rescues';
export {
  ReminderClient,
  cancelRequestSchema as reminderCancelSchema,
  reminderListFilterSchema,
  reminderRequestSchema,
  rescheduleRequestSchema as reminderRescheduleSchema,
} from './reminders';
export type { ReminderClientOptions, ReminderListFilter, ReminderSummary } from './reminders';
export { CourtesyClient, courtesyCancelSchema, courtesyListFilterSchema } from './courtesy';
export type { CourtesyClientOptions, CourtesyListFilter } from './courtesy';
export type { StartResult } from './run-handles';
export { outreachSummarySchema } from './outreach-summary';
export type { OutreachSummary } from './outreach-summary';

// Refusals, runs, health and namespace set-up.
export { InvalidRequestError } from './invalid-request';
export type { RequestProblem } from './invalid-request';
export { runFilterSchema, runSummarySchema } from './runs';
export type { RunFilter, RunSummary } from './runs';
export { doctorCheckSchema, doctorOptionsSchema } from './doctor';
export type { DoctorCheck, DoctorOptions } from './doctor';
export { setupNamespace } from './setup-namespace';
export type { SetupNamespaceOptions, SetupNamespaceResult } from './setup-namespace';
export { registerSearchAttributes } from './register-search-attributes';

// What the calls take and answer.
export type { AbandonEventInput, CallbackRequest, ScheduleCallbackInput } from '../domain/callbacks';
export type { AppointmentInput } from '../domain/reminders';
export type { CourtesyRequestInput, CourtesyReschedule } from '../domain/courtesy';
export type { SurveyResponseInput } from '../domain/rescue';
export type {
  CallbackStatus,
  ClaimingAgent,
  DispositionInput,
  OfferAnswer,
  RaisePriorityInput,
  ReassignInput,
  RescheduleInput,
  StopCallbackInput,
  StopResult,
} from '../workflows/callback-messages';
export type { ReminderResponse, ReminderStatus } from '../workflows/reminder-signals';
export type { CourtesyStatus } from '../workflows/courtesy-signals';
export type { SurveyRescueResult } from '../workflows/survey-rescue';
