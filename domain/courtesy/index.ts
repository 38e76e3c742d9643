/**
 * Courtesy outreach: thank-yous after a purchase, yearly occasions, service notices. Pure: no clock,
 * no I/O, no Temporal. Workflow code imports this index, so `nextYearlyOutreach` (zone arithmetic
 * with luxon, run by an activity) is imported from `yearly-occasion.ts` itself.
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
export type { NextOutreach, YearlyOccasion } from './yearly-occasion';
