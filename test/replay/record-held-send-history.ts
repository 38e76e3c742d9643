/**
 * Records a deliverMessage whose send the channel's final decision held back:
 *   npx tsx test/replay/record-held-send-history.ts
 * US contact 08:00–21:00 New York time. The run asks the policy at 20:59:50 (allowed), but the SMS
 * activity's clock reads 20 s later, past 21:00: the send comes back "not yet, 08:00", the run sleeps
 * and sends the next morning. Writes test/replay/histories/deliver-message-held-at-send.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeliverMessageInput } from '../../workflows/deliver-message';
import { startChannelStack } from '../harness/channels';
import { callbackPolicyFile } from '../harness/policy-files';
import { startRecordingEnv, writeHistory } from './recording';

const NAME = 'deliver-message-held-at-send';
const HOUR = 3_600_000;

async function main(): Promise<void> {
  const recording = await startRecordingEnv();
  const { env } = recording;
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-held-'));
  let offsetMs = 0;
  try {
    const stack = await startChannelStack(
      { CONTACT_POLICY_FILE: callbackPolicyFile(dir, 'new-york-centre') },
      { client: env.client, nativeConnection: env.nativeConnection, namespace: env.namespace ?? 'default' },
      // The activity's clock runs 20 s ahead of the server's.
      { channelClock: () => Date.now() + offsetMs + 20_000 },
    );
    try {
      // 20:59:50 in New York (EST, UTC−5) on 15 January of the server's next year.
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      const askAt = Date.UTC(year, 0, 15, 1, 59, 50) + 24 * HOUR;
      await env.sleep(askAt - (await env.currentTimeMs()));
      offsetMs = (await env.currentTimeMs()) - Date.now();
      const input: DeliverMessageInput = {
        channel: 'sms',
        contact: { phone: '+12125550199', timeZone: 'America/New_York', country: 'US' },
        customerKey: 'c_held_at_send',
        template: 'sms.notice.service',
        variables: { message: 'The water supply is interrupted tonight.' },
        purpose: 'notice',
      };
      const handle = await env.client.workflow.start('deliverMessage', {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: NAME,
        args: [input],
      });
      // Until the SMS was held, then through the night to 08:00 and its delivery.
      while (stack.sandbox.outbox.listMessages().length === 0) {
        await env.sleep(HOUR);
        offsetMs = (await env.currentTimeMs()) - Date.now();
      }
      const result: unknown = await handle.result();
      writeHistory(NAME, await handle.fetchHistory());
      console.log(result);
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
