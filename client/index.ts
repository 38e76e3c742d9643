export { RecontactClient } from './recontact-client';
export type { DoctorCheck, DoctorOptions } from './doctor';
export type { RunFilter, RunSummary } from './runs';
