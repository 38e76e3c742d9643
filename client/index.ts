export { RecontactClient } from './recontact-client';
export type { DoctorCheck, DoctorOptions } from './doctor';
export type { RunFilter, RunSummary } from './runs';
export { CallbackClient, CallbackInputError, CallbackRejectedError } from './callbacks';
export type { CallbackListFilter, CallbackListItem, CallbackTarget } from './callbacks';
export type { RecontactClientOptions } from './recontact-client';
