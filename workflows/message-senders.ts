import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { EmailActivities, SmsActivities } from '../activities/channels';
import { channelTaskQueue } from '../domain/channels';
import { nonRetryableChannelFailures } from '../domain/channel-failures';

/**
 * The SMS and e-mail activities on their paced channel task queues, with the retry policy every
 * message shares: a provider outage is ridden out for ~15 minutes; a failure that retrying cannot
 * fix (invalid recipient, opted out, bad content) is not retried.
 */
export function messageSenders(taskQueue: string) {
  const retry: RetryPolicy = {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '2m',
    maximumAttempts: 12,
    nonRetryableErrorTypes: [...nonRetryableChannelFailures],
  };
  return {
    sms: proxyActivities<SmsActivities>({
      taskQueue: channelTaskQueue(taskQueue, 'sms'),
      startToCloseTimeout: '30s',
      retry,
    }),
    email: proxyActivities<EmailActivities>({
      taskQueue: channelTaskQueue(taskQueue, 'email'),
      startToCloseTimeout: '60s',
      retry,
    }),
  };
}
