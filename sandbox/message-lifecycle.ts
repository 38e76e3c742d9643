import type { Outbox, OutboxMessage } from './outbox';
import { pause } from './pause';
import { smsScenarioFor } from './scenario-numbers';
import type { WebhookSender } from './signed-webhooks';
import { twilioErrorMessages } from './twilio-errors';
import { API_VERSION } from './twilio-resources';
import { rawDlrDoneDate } from './twilio-time';

export interface MessageLifecycleDeps {
  outbox: Outbox;
  webhooks: WebhookSender;
  stepDelayMs: number;
  /** Aborted when the sandbox stops: no more steps, no more callbacks. */
  signal: AbortSignal;
}

/**
 * Moves an accepted outbound message through Twilio's states — queued → sending → sent →
 * delivered, or → undelivered / failed with an ErrorCode for the scenario numbers — and posts a
 * status callback for each change, in order, when the message has a `StatusCallback`.
 */
export async function runMessageLifecycle(message: OutboxMessage, deps: MessageLifecycleDeps): Promise<void> {
  const scenario = smsScenarioFor(message.to);
  const step = (): Promise<void> => pause(deps.stepDelayMs, deps.signal);

  // One step first, so the API's 201 answer reaches the caller before the first callback.
  await step();
  await notify(message, deps);
  await step();
  if (scenario.finalStatus === 'failed') {
    setStatus(message, 'failed', deps.outbox, scenario.errorCode);
    await notify(message, deps);
    return;
  }
  setStatus(message, 'sending', deps.outbox);
  await notify(message, deps);
  await step();
  message.dateSent = Date.now();
  setStatus(message, 'sent', deps.outbox);
  await notify(message, deps);
  await step();
  setStatus(message, scenario.finalStatus, deps.outbox, scenario.errorCode);
  await notify(message, deps);
}

/** Records a status change on the message (and its error, for undelivered and failed). */
export function setStatus(message: OutboxMessage, status: string, outbox: Outbox, errorCode?: number): void {
  const now = Date.now();
  message.status = status;
  message.dateUpdated = now;
  if (errorCode !== undefined) {
    message.errorCode = errorCode;
    message.errorMessage = twilioErrorMessages[errorCode] ?? null;
  }
  message.events.push({ status, at: now });
  outbox.changed();
}

async function notify(message: OutboxMessage, deps: MessageLifecycleDeps): Promise<void> {
  if (message.statusCallback === null || deps.signal.aborted) return;
  const params: Record<string, string> = {
    AccountSid: message.accountSid,
    ApiVersion: API_VERSION,
    From: message.from,
    To: message.to,
    MessageSid: message.sid,
    SmsSid: message.sid,
    MessageStatus: message.status,
    SmsStatus: message.status,
  };
  if (message.messagingServiceSid !== null) params.MessagingServiceSid = message.messagingServiceSid;
  if (message.errorCode !== null) params.ErrorCode = String(message.errorCode);
  if (message.status === 'delivered' || message.status === 'undelivered') {
    params.RawDlrDoneDate = rawDlrDoneDate(new Date(message.dateUpdated));
  }
  await deps.webhooks.send({
    kind: 'message-status',
    resourceSid: message.sid,
    url: message.statusCallback,
    method: 'POST',
    params,
  });
}
