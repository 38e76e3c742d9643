export { acceptedParams, type OperationId } from './accepted-params';
export { faultSchema, type Fault } from './fault-switch';
export { inboundSmsSchema, type InboundSms, type InboundSmsResult } from './inbound-sms';
export { callFromMagic, callToMagic, MAGIC_VALID_FROM, smsFromMagic, smsToMagic } from './magic-numbers';
export type {
  Outbox,
  OutboxApiRequest,
  OutboxCall,
  OutboxCallback,
  OutboxEmail,
  OutboxMessage,
  OutboxSnapshot,
  OutboxTwimlDocument,
  OutboxVerb,
} from './outbox';
export {
  callScenarioFor,
  scenarioNumbers,
  smsScenarioFor,
  type CallScenario,
  type ScenarioNumber,
  type SmsScenario,
} from './scenario-numbers';
export { DEFER_DOMAIN, REJECT_DOMAIN, startSmtpSink, type SmtpSink, type SmtpSinkOptions } from './smtp-sink';
export { sandboxOptionsSchema, startSandbox, type SandboxOptions, type TwilioSandbox } from './start-sandbox';
