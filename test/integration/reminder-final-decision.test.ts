import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customerKeyFor } from '../../domain/customer-key';
import { reminderWorkflowId, type AppointmentReminderInput } from '../../domain/reminders';
import { appointmentReminder } from '../../workflows/appointment-reminder';
import { reminderStatusQuery } from '../../workflows/reminder-signals';
import { searchAttributes } from '../../workflows/search-attributes';
import { startChannelStack, type ChannelStack } from '../harness/channels';
import { callbackPolicyFile } from '../harness/policy-files';
import { createTimeSkippingEnv, eventually } from '../harness/temporal';

const HOUR = 3_600_000;

/**
 * A reminder asks the contact policy once, at the moment of contact, in the channel activity
 * (patched('lean-reminder-send')): what the customer sees must be what it was when the run asked
 * first in a local activity. US contact 08:00–21:00 New York time, pinned; the channel activities'
 * clock is the test server's, 20 s ahead where a test says so. Judged from the sandbox's outbox and
 * the store's contact log.
 */
describe('a reminder and the contact policy at the moment of contact (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let stack: ChannelStack;
  let dir: string;
  // The channel activities' clock: the test server's time of the attempt, plus this.
  let aheadMs = 0;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'recontact-reminder-decision-'));
    aheadMs = 0;
    env = await createTimeSkippingEnv();
    stack = await startChannelStack(
      {
        CONTACT_POLICY_FILE: callbackPolicyFile(dir, 'new-york-centre'),
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      },
      { client: env.client, nativeConnection: env.nativeConnection, namespace: env.namespace ?? 'default' },
      { channelClock: () => Context.current().info.currentAttemptScheduledTimestampMs + aheadMs },
    );
  }, 120_000);
  afterEach(async () => {
    await stack?.stop();
    await env?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  let phoneSeq = 0;
  const reminderFor = (at: number, hoursBefore: number) => {
    const phone = `+1212555${String(2000 + phoneSeq++).padStart(4, '0')}`;
    const input: AppointmentReminderInput = {
      appointmentId: `appt-${randomUUID()}`,
      at: new Date(at).toISOString(),
      contact: { phone, timeZone: 'America/New_York', country: 'US' },
      customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
      offsets: [{ channel: 'sms', hours: hoursBefore, whenConfirmed: 'send' }],
    };
    return { input, phone };
  };
  const start = (input: AppointmentReminderInput) =>
    env.client.workflow.start(appointmentReminder, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: reminderWorkflowId(input.appointmentId),
      args: [input],
    });
  const smsTo = (phone: string) =>
    stack.sandbox.outbox
      .listMessages()
      .filter((message) => message.to === phone && message.direction === 'outbound-api');
  // 15 January of the server's next year: EST (UTC−5) all evening and the next morning.
  const january15 = async (hourUtc: number, minute = 0, second = 0) =>
    Date.UTC(new Date(await env.currentTimeMs()).getUTCFullYear() + 1, 0, 15, hourUtc, minute, second);

  it('waits when the window has closed at the moment of contact, shows it, and sends when the window opens', async () => {
    // Due 20:59:50 New York time; the channel's clock reads 21:00:10 when it is asked.
    aheadMs = 20_000;
    const dueMs = (await january15(1, 59, 50)) + 24 * HOUR;
    const opensMs = dueMs + 11 * HOUR + 10_000; // 08:00 the next morning
    const { input, phone } = reminderFor(dueMs + 12 * HOUR, 12);
    const handle = await start(input);

    await env.sleep(dueMs + 30 * 60_000 - (await env.currentTimeMs()));
    expect(smsTo(phone)).toHaveLength(0);
    const waiting = await handle.describe();
    expect(waiting.typedSearchAttributes.get(searchAttributes.State)).toBe('waiting-for-window');
    expect(waiting.typedSearchAttributes.get(searchAttributes.DueAt)?.getTime()).toBe(opensMs);

    const result = await handle.result();
    expect(smsTo(phone)).toHaveLength(1);
    expect(result.reminders.map((r) => [r.dueAt, r.sentAt !== undefined, r.skipped])).toEqual([
      [new Date(dueMs).toISOString(), true, undefined],
    ]);
    // The contact log has the send at 08:00 (the channel's clock, 20 s ahead), not in the night.
    const log = await stack.services.store.recentContacts(input.customerKey ?? '', 0);
    const sentAt = log.filter((entry) => entry.outcome === 'sent').map((entry) => entry.at);
    expect(sentAt).toHaveLength(1);
    expect(sentAt[0]).toBeGreaterThanOrEqual(opensMs);
    expect(sentAt[0]).toBeLessThan(opensMs + 60_000);
  });

  it('skips the reminder of a customer who opted out after it was planned, naming the reason, and sends nothing', async () => {
    // Due 12:00 New York time, well inside the window.
    const dueMs = (await january15(17)) + 24 * HOUR;
    const { input, phone } = reminderFor(dueMs + 2 * HOUR, 2);
    const handle = await start(input);
    await eventually(async () =>
      (await handle.query(reminderStatusQuery)).state === 'scheduled' ? true : undefined,
    );
    await stack.services.store.recordOptOut({
      address: phone,
      channel: 'sms',
      source: 'agent',
      at: await env.currentTimeMs(),
    });

    const result = await handle.result();
    expect(smsTo(phone)).toHaveLength(0);
    expect(result.reminders.map((r) => [r.sentAt, r.failed, r.skipped])).toEqual([
      [undefined, undefined, { reason: 'not-allowed', detail: 'opted-out' }],
    ]);
  });
});
