import { proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { EmailActivities, SmsActivities, VoiceActivities } from '../activities/channels';
import type { CallbackDecisionActivities } from '../activities/callbacks/callback-decisions';
import type { CallbackDispatchActivities } from '../activities/callbacks/callback-dispatch';
import type { createPublishDeskCallback } from '../activities/callbacks/publish-desk-callback';
import type { createRecordCallbackRun } from '../activities/callbacks/record-callback-run';
import type { ContactPolicyActivities } from '../activities/contact-policy';
import type { createReplyWaitActivities } from '../activities/contacts/reply-waits';
import type { zonesForNumber } from '../activities/contacts/zones-for-number';
import type { planYearlyOutreach } from '../activities/courtesy/plan-yearly-outreach';
import type { createPlanReminderSeries } from '../activities/reminders/plan-reminder-series';
import type { createRecordReminderOutcome } from '../activities/reminders/record-reminder-outcome';
import type { RescueActivities } from '../activities/rescue/rescue-activities';
import type { parseWorkflowInput } from '../activities/workflow-input/parse-workflow-input';
import { nonRetryableChannelFailures } from '../domain/channel-failures';
import { channelTaskQueue } from '../domain/channels';

// Every way a workflow reaches its activities, one proxy per purpose, each typed by the factories that
// build what it reaches. The options are part of the commands in recorded histories: change them only
// behind `patched()`.

/**
 * Pure decisions (parsing a new run's input, contact policy, callback rules, plans) and the callback's writes that must not wait
 * for a task-queue round trip (holding the agent, the desk's row): local activities of this worker.
 */
export type LocalDecisions = ContactPolicyActivities &
  CallbackDecisionActivities &
  Pick<CallbackDispatchActivities, 'holdAgentForCall'> & {
    zonesForNumber: typeof zonesForNumber;
    parseWorkflowInput: typeof parseWorkflowInput;
    planReminderSeries: ReturnType<typeof createPlanReminderSeries>;
    planYearlyOutreach: typeof planYearlyOutreach;
    publishDeskCallback: ReturnType<typeof createPublishDeskCallback>;
  };
export const localDecisions = proxyLocalActivities<LocalDecisions>({ startToCloseTimeout: '10s' });

/** The store's callback queue and what else a run writes there (reply waits, agents' scores). */
export type CallbackQueue = Omit<CallbackDispatchActivities, 'holdAgentForCall' | 'runDispatchPass'> &
  ReturnType<typeof createReplyWaitActivities> &
  RescueActivities;
export const callbackQueue = proxyActivities<CallbackQueue>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** A finished run's row for the KPIs: a few tries only, a report row is not worth holding a run open. */
export interface RunReports {
  recordCallbackRun: ReturnType<typeof createRecordCallbackRun>;
  recordReminderOutcome: ReturnType<typeof createRecordReminderOutcome>;
}
export const runReports = proxyActivities<RunReports>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
});

/**
 * The dispatcher's pass: a regular activity, not a local one, so each workflow task ends at once and
 * the stream of dispatchNeeded signals never meets a task held open by a running pass.
 */
export const dispatchPass = proxyActivities<Pick<CallbackDispatchActivities, 'runDispatchPass'>>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

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
