import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  deliveryStatusSignal,
  inboundReplySignal,
  type DeliveryStatus,
  type InboundReply,
} from '../../workflows/channel-signals';
import type { SmsActivities, VoiceActivities } from '../../activities/channels';
import type { SmsRequest } from '../../activities/channels/send-sms';
import type { CallRequest } from '../../activities/channels/place-call';
import { isHeld } from '../../workflows/held-send';

// Test-only workflows that run one channel activity with a short timeout and no retries, so a
// test can watch that activity on its own (its failures, a crash in the middle of it).

export async function sendSmsOnce(taskQueue: string, request: SmsRequest, timeoutMs = 5_000) {
  const { sendSms } = proxyActivities<SmsActivities>({
    taskQueue,
    startToCloseTimeout: timeoutMs,
    retry: { maximumAttempts: 3, initialInterval: 200 },
  });
  return sendSms(request);
}

export async function placeCallOnce(taskQueue: string, request: CallRequest) {
  const { placeCall } = proxyActivities<VoiceActivities>({
    taskQueue,
    startToCloseTimeout: '5s',
    retry: { maximumAttempts: 1 },
  });
  return placeCall(request);
}

/** Places one agent-first call and collects what the webhooks report until the dial ends. */
export async function callAndWatch(taskQueue: string, request: CallRequest) {
  const statuses: DeliveryStatus[] = [];
  setHandler(deliveryStatusSignal, (status) => void statuses.push(status));
  const placed = await placeCallOnce(taskQueue, request);
  if (isHeld(placed)) throw new Error(`call held back: ${placed.message}`);
  const { callSid } = placed;
  await condition(
    () =>
      statuses.some(
        (status) =>
          status.status === 'dial-result' ||
          status.status === 'busy' ||
          status.status === 'no-answer' ||
          status.status === 'failed',
      ),
    '60s',
  );
  return { callSid, statuses };
}

/** Texts a question and waits for the customer's SMS reply, as a reminder's confirmation does. */
export async function askAndWaitForReply(
  taskQueue: string,
  request: SmsRequest,
  waitMs = 60_000,
): Promise<string | undefined> {
  let reply: InboundReply | undefined;
  setHandler(inboundReplySignal, (received) => void (reply = received));
  await sendSmsOnce(taskQueue, request);
  await condition(() => reply !== undefined, waitMs);
  return reply?.body;
}
