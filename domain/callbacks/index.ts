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
} from './abandon-rules';
export type { AbandonAction, AbandonRules, AbandonRulesInput } from './abandon-rules';
export { abandonFactsSchema, decideAbandon } from './decide-abandon';
export type { AbandonDecision, AbandonFacts, AbandonReason, IgnoreReason } from './decide-abandon';
export { callbackEta } from './callback-eta';
export type { CallbackEta, CallbackEtaInput, EtaKind, EtaLocale } from './callback-eta';
