/**
 * Records an appointment reminder whose SMS the channel's final decision held back:
 *   npx tsx test/replay/record-held-reminder-history.ts
 * US contact 08:00–21:00 New York time. The reminder is due at 20:59:50; the SMS activity's clock
 * reads 20 s later, past 21:00: the send comes back "not yet, 08:00", the run shows State
 * "waiting-for-window" and sends the next morning, an hour before the appointment (the lean send of
 * patched('lean-reminder-send'): no local policy decision before it). Writes
 * test/replay/histories/appointment-reminder-held-at-send.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { AppointmentReminderInput } from '../../domain/reminders';
import { startChannelStack } from '../harness/channels';
import { callbackPolicyFile } from '../harness/policy-files';
import { startRecordingEnv, writeHistory } from './recording';

const NAME = 'appointment-reminder-held-at-send';
const HOUR = 3_600_000;

async function main(): Promise<void> {
  const recording = await startRecordingEnv();
  const { env } = recording;
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-held-reminder-'));
  try {
    const stack = await startChannelStack(
      { CONTACT_POLICY_FILE: callbackPolicyFile(dir, 'new-york-centre') },
      { client: env.client, nativeConnection: env.nativeConnection, namespace: env.namespace ?? 'default' },
      // The activity's clock runs 20 s ahead of the server's (the attempt's scheduled time).
      { channelClock: () => Context.current().info.currentAttemptScheduledTimestampMs + 20_000 },
    );
    try {
      // Due 20:59:50 in New York (EST, UTC−5) on 15 January of the server's next year; the
      // appointment at 08:59:50 the next morning.
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      const dueMs = Date.UTC(year, 0, 16, 1, 59, 50);
      const input: AppointmentReminderInput = {
        appointmentId: 'replay-held-1',
        at: new Date(dueMs + 12 * HOUR).toISOString(),
        contact: { phone: '+12125550198', timeZone: 'America/New_York', country: 'US' },
        customerKey: 'c_replay_held',
        offsets: [{ channel: 'sms', hours: 12, whenConfirmed: 'send' }],
      };
      const handle = await env.client.workflow.start('appointmentReminder', {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: NAME,
        args: [input],
      });
      // Through the night to 08:00, its send and the appointment.
      const result: unknown = await handle.result();
      writeHistory(NAME, await handle.fetchHistory());
      console.log(JSON.stringify(result, null, 2));
    } finally {
      await stack.stop();
    }
  } finally {
    await recording.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
