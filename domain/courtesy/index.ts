/**
 * Courtesy outreach: thank-yous after a purchase, yearly occasions, service notices. Pure: no clock,
 * no I/O, no Temporal.
 */
export {
  courtesyIdSchema,
  courtesyMessageInputSchema,
  courtesyRequestSchema,
  courtesyRescheduleSchema,
  courtesyWorkflowId,
  serviceNoticeRequestSchema,
  thankYouRequestSchema,
  yearlyOccasionRequestSchema,
} from './courtesy-request';
export type {
  CourtesyMessageInput,
  CourtesyRequest,
  CourtesyRequestInput,
  CourtesyReschedule,
} from './courtesy-request';
export { nextYearlyOutreach } from './yearly-occasion';
export type { NextOutreach, YearlyOccasion } from './yearly-occasion';
