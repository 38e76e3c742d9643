import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { EmailActivities, SmsActivities, VoiceActivities } from '../activities/channels';
import { nonRetryableChannelFailures } from '../domain/channel-failures';
import { channelTaskQueue } from '../domain/channels';

/**
 * Retries of a provider call: transient failures (a 5xx, a timeout) back off up to two minutes; the
 * channel failures that retrying cannot fix (invalid recipient, opt-out, bad content) fail at once.
 */
const channelRetry: RetryPolicy = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '2m',
  maximumAttempts: 12,
  nonRetryableErrorTypes: [...nonRetryableChannelFailures],
};

/** The channel activities as a workflow reaches them: each on its own paced task queue, `<base>-<channel>`. */
export function channelProxies(taskQueue: string) {
  return {
    sms: proxyActivities<SmsActivities>({
      taskQueue: channelTaskQueue(taskQueue, 'sms'),
      startToCloseTimeout: '30s',
      retry: channelRetry,
    }),
    voice: proxyActivities<VoiceActivities>({
      taskQueue: channelTaskQueue(taskQueue, 'voice'),
      startToCloseTimeout: '60s',
      retry: channelRetry,
    }),
    email: proxyActivities<EmailActivities>({
      taskQueue: channelTaskQueue(taskQueue, 'email'),
      startToCloseTimeout: '60s',
      retry: channelRetry,
    }),
  };
}
