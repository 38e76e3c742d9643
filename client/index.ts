export { RecontactClient } from './recontact-client';
export type { DoctorCheck, DoctorOptions } from './doctor';
export type { RunFilter, RunSummary } from './runs';
export { CallbackClient, CallbackRejectedError } from './callbacks';
export { InvalidRequestError } from './invalid-request';
export type { RequestProblem } from './invalid-request';
export type { CallbackListFilter, CallbackListItem, CallbackTarget } from './callbacks';
export type { RecontactClientOptions } from './recontact-client';
