import type { AttemptOutcome } from '../policy/vocabulary';

/** What the voice webhooks report about one agent-first call (see workflows/channel-signals.ts). */
export interface CallStatusReport {
  /** `dial-result`, `customer-answered`, or the agent leg's status (ringing, in-progress, completed, busy, …). */
  status: string;
  dialCallStatus?: string;
  answeredBy?: string;
  errorCode?: number;
}

/** How one agent-first call ended. `agent-missed`: the agent never got to the customer (no customer attempt). */
export type CallResult = AttemptOutcome | 'connected' | 'agent-missed' | 'ended';

const agentLegEnded = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
/** Twilio errors that mean the number itself is wrong (21211 invalid, 21214 not reachable, 13224 invalid dial). */
const invalidNumberErrors = new Set([21211, 21214, 13223, 13224]);

/**
 * The result of a call from its status reports, or undefined while it is still going. The customer
 * leg decides (the `<Dial>` result, with answering-machine detection); an agent leg that ended with
 * no `<Dial>` result means the customer was never dialled.
 */
export function callResult(reports: readonly CallStatusReport[]): CallResult | undefined {
  const dial = reports.find((report) => report.status === 'dial-result');
  if (dial !== undefined) {
    const answeredBy =
      reports.find((report) => report.status === 'customer-answered')?.answeredBy ?? dial.answeredBy ?? '';
    // A machine answered: whether the message was left or the leg hung up (Twilio then reports the
    // <Dial> as no-answer or completed), the customer was not reached.
    if (answeredBy.startsWith('machine') || answeredBy === 'fax') return 'voicemail';
    switch (dial.dialCallStatus) {
      case 'completed':
      case 'answered':
        return 'connected';
      case 'busy':
        return 'busy';
      case 'no-answer':
        return 'no-answer';
      case 'canceled':
        return 'ended';
      default:
        return dial.errorCode !== undefined && invalidNumberErrors.has(dial.errorCode) ? 'invalid' : 'failed';
    }
  }
  const agentEnd = reports.find((report) => agentLegEnded.has(report.status));
  return agentEnd === undefined ? undefined : 'agent-missed';
}
