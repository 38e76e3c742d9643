import type { Twilio } from 'twilio';
import { classifyTwilioError, toActivityFailure } from './provider-errors';

export interface CallStatusDeps {
  twilio: Twilio;
}

/**
 * The provider's current status of a call (`in-progress`, `completed`, …): a long conversation is
 * checked now and then, so a lost final report cannot leave a callback on the line forever.
 */
export function createCallStatus(deps: CallStatusDeps) {
  return async function callStatus(callSid: string): Promise<string> {
    try {
      return (await deps.twilio.calls(callSid).fetch()).status;
    } catch (error) {
      throw toActivityFailure(classifyTwilioError(error), error, 'voice');
    }
  };
}
