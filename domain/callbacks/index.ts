/**
 * What happens after a caller abandons a queue: the ACD's event, the deployment's rules, the decision
 * and the time we promise in the acknowledgement. Pure: no clock, no I/O, no Temporal.
 */
export { KNOWN_TIERS, abandonEventSchema, callerNumber } from './abandon-event';
export type { AbandonEvent, AbandonEventInput } from './abandon-event';
export {
  ABANDON_ACTIONS,
  abandonActionSchema,
  abandonRulesSchema,
  defaultAbandonRules,
  skillForQueue,
} from './abandon-rules';
export type { AbandonAction, AbandonRules, AbandonRulesInput } from './abandon-rules';
export { abandonFactsSchema, decideAbandon } from './decide-abandon';
export type { AbandonDecision, AbandonFacts, AbandonReason, IgnoreReason } from './decide-abandon';
export { callbackEta } from './callback-eta';
export type { CallbackEta, CallbackEtaInput, EtaKind, EtaLocale } from './callback-eta';
export { callResult } from './call-result';
export type { CallResult, CallStatusReport } from './call-result';
export { parseCallbackReply } from './callback-reply';
export type { CallbackReply, ParseCallbackReplyOptions } from './callback-reply';
export { nextLocalTime, placeCustomerTime } from './place-customer-time';
export type { CustomerTimeInput, PlacedCustomerTime } from './place-customer-time';
export { assignOffers, compareWaiting, isEligible, speaksLanguage } from './assign-offers';
export type { FreeAgent, Offer, WaitingCallback } from './assign-offers';
export {
  callbackOriginSchema,
  callbackRequestSchema,
  scheduleCallbackSchema,
  surveyScoreSchema,
} from './callback-request';
export type {
  CallbackOrigin,
  CallbackRequest,
  CallbackRequestInput,
  ScheduleCallbackInput,
} from './callback-request';
