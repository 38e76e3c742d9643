import { proxyActivities, sleep } from '@temporalio/workflow';
import type { SmsActivities } from '../../activities/channels';
import type { SmsRequest } from '../../activities/channels/send-sms';

/** The baseline: a workflow that does nothing, so start rates compare against the server's floor. */
export async function trivialWorkflow(): Promise<void> {
  return;
}

/**
 * Sleeps until `dueAtMs`, then reports how late the timer fired. Workflow time is the time the
 * worker received the timer-fired task, the moment a reminder would send.
 */
export async function timerLateness(dueAtMs: number): Promise<number> {
  const wait = dueAtMs - Date.now();
  if (wait > 0) await sleep(wait);
  return Date.now() - dueAtMs;
}

/** One SMS through the paced channel queue: what the pacing benchmark starts many of. */
export async function pacedSms(smsTaskQueue: string, request: SmsRequest): Promise<void> {
  const { sendSms } = proxyActivities<SmsActivities>({ taskQueue: smsTaskQueue, startToCloseTimeout: '30s' });
  await sendSms(request);
}
