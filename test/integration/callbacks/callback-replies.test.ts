import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { zoneOffsetMs } from '../../../domain/policy';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { createTimeSkippingEnv, eventually, skipToWinter } from '../../harness/temporal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The acknowledgement and the "sms-only" apology answer the customer's own call: the contact policy
 * decides when they may go (rule replyToCustomerContact, 15 minutes in the shipped rules), with the
 * US 08:00–21:00 window and a centre staffed 08:00–20:00 New York time.
 */
describe('SMS replies to an abandoned call and the contact policy (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  let dir: string;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    // Relative skips below use today's zone offset: keep them away from DST changes.
    await skipToWinter(env);
    dir = mkdtempSync(path.join(tmpdir(), 'recontact-replies-'));
    const rules = path.join(dir, 'callback-rules.json');
    writeFileSync(rules, JSON.stringify({ queues: { 'billing-overflow': { action: 'sms-only' } } }));
    stack = await startCallbackStack(env, {
      policy: 'new-york-centre',
      config: { CALLBACK_RULES_FILE: rules },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** Local New York wall-clock hour and minute of the server's time. */
  const newYorkClock = async (): Promise<[number, number]> => {
    const now = await env.currentTimeMs();
    const local = new Date(now + zoneOffsetMs(now, 'America/New_York'));
    return [local.getUTCHours(), local.getUTCMinutes()];
  };

  it('acknowledges a 23:30 abandon at once, sends no late acknowledgement or apology before 08:00, and the apology then', async () => {
    // Skip to the next 23:30 in New York.
    const now = await env.currentTimeMs();
    const local = now + zoneOffsetMs(now, 'America/New_York');
    let target = Math.floor(local / (24 * HOUR)) * 24 * HOUR + 23 * HOUR + 30 * MINUTE;
    if (target <= local) target += 24 * HOUR;
    await env.sleep(target - local);
    const thirtyMinutesAgo = new Date((await env.currentTimeMs()) - 30 * MINUTE).toISOString();

    // Reported as it happens: the acknowledgement is a reply, allowed at any hour.
    const prompt = '+12125550191';
    const promptId = await stack.abandon(prompt);
    // Reported half an hour late (the ACD was slow): no longer a reply; the call at 08:00 answers it.
    const late = '+12125550192';
    const lateId = await stack.abandon(late, { abandonedAt: thirtyMinutesAgo });
    // An sms-only queue, reported late: the apology waits for the morning.
    const apology = '+12125550193';
    const apologyId = await stack.abandon(apology, {
      queue: 'billing-overflow',
      abandonedAt: thirtyMinutesAgo,
    });

    await eventually(async () => (stack.smsTo(prompt).length === 1 ? true : undefined));
    expect(stack.smsTo(prompt)[0]?.body).toContain('We will call you back');
    const scheduled = await stack.waitForStatus(lateId, (status) =>
      status.timeline.some((entry) => entry.step === 'ack-dropped'),
    );
    expect(scheduled.state).toBe('scheduled');
    await stack.waitForStatus(apologyId, (status) =>
      status.timeline.some((entry) => entry.step === 'apology-deferred'),
    );

    // Through the night, hour by hour: no text to the late callers.
    for (let hour = 0; hour < 8; hour += 1) {
      await env.sleep(HOUR);
      expect(stack.smsTo(late)).toHaveLength(0);
      expect(stack.smsTo(apology)).toHaveLength(0);
    }
    expect(await newYorkClock()).toEqual([7, 30]);
    await env.sleep(31 * MINUTE);
    const done = await stack.waitForStatus(apologyId, (status) => status.state === 'done');
    expect(done.outcome).toBe('sms-sent');
    expect(stack.smsTo(apology)).toHaveLength(1);
    expect(stack.smsTo(apology)[0]?.body).toContain('sorry we missed your call');
    // The late acknowledgement stays dropped: the call is due now.
    expect(stack.smsTo(late)).toHaveLength(0);
    expect(stack.smsTo(prompt)).toHaveLength(1);

    for (const workflowId of [promptId, lateId]) {
      await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
    }
  });
});
