import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CourtesyClient } from '../../client/courtesy';
import type { courtesyMessage } from '../../workflows/courtesy-message';
import { startChannelStack, type ChannelStack } from '../harness/channels';
import { callbackPolicyFile } from '../harness/policy-files';
import { createTimeSkippingEnv } from '../harness/temporal';

/**
 * A yearly occasion is planned in every zone the customer may be in, never in a guessed UTC. Rules:
 * US contact 08:00–21:00 local time, every other country (and e-mail) around the clock.
 */
describe('yearly courtesy outreach and the customer’s zones (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let stack: ChannelStack;
  let courtesy: CourtesyClient;
  let dir: string;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    dir = mkdtempSync(path.join(tmpdir(), 'recontact-courtesy-zones-'));
    stack = await startChannelStack(
      {
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
        CONTACT_POLICY_FILE: callbackPolicyFile(dir, 'new-york-centre'),
      },
      { client: env.client, nativeConnection: env.nativeConnection, namespace: env.namespace ?? 'default' },
    );
    courtesy = new CourtesyClient({
      temporal: env.client,
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      customerKeySecret: stack.services.customerKeySecret,
      company: 'Flores Ana',
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const advanceTo = async (iso: string) => {
    const by = Date.parse(iso) - (await env.currentTimeMs());
    if (by > 0) await env.sleep(by);
  };

  it('reaches a customer who may be in New York or Los Angeles at 08:30 on both clocks, not 08:30 New York time', async () => {
    const phone = '+14155550901';
    const { workflowId } = await courtesy.start({
      type: 'yearly',
      courtesyId: `order-${randomUUID()}-anniversary`,
      contact: { phone, country: 'US', candidateTimeZones: ['America/New_York', 'America/Los_Angeles'] },
      channel: 'sms',
      occasion: 'your anniversary',
      month: 6,
      day: 20,
      localTime: '08:30',
    });
    const texts = () => stack.sandbox.outbox.listMessages().filter((message) => message.to === phone);
    // 6 June 2027: 08:30 EDT is 12:30Z (05:30 in Los Angeles); 08:30 PDT is 15:30Z.
    await advanceTo('2027-06-06T15:20:00Z');
    expect(texts()).toHaveLength(0);
    await advanceTo('2027-06-06T15:31:00Z');
    const handle = env.client.workflow.getHandle<typeof courtesyMessage>(workflowId);
    for (let tries = 0; tries < 100 && texts().length === 0; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(texts()).toHaveLength(1);
    // Ended through the product's cancel, and waited for: terminating a run with a workflow task in
    // flight can leave the time-skipping test server unable to skip for the next test (sdk-java#3088).
    expect(await courtesy.cancel(workflowId, { reason: 'test over' })).toBe(true);
    expect((await handle.result()).state).toBe('done');
  });

  it('plans nothing in UTC: a customer with no zone and no country zones is refused and recorded', async () => {
    const email = `no-zone-${randomUUID()}@example.com`;
    const { workflowId } = await courtesy.start({
      type: 'yearly',
      courtesyId: `order-${randomUUID()}-birthday`,
      contact: { email },
      channel: 'email',
      occasion: 'your birthday',
      month: 9,
      day: 1,
    });
    const handle = env.client.workflow.getHandle<typeof courtesyMessage>(workflowId);
    const result = await handle.result();
    expect(result.state).toBe('done');
    expect(result.outreaches.map((outreach) => outreach.outcome)).toEqual(['no-time-zone']);
    await advanceTo('2028-10-01T00:00:00Z');
    expect(stack.sandbox.outbox.snapshot().emails.filter((sent) => sent.to.includes(email))).toHaveLength(0);
  });
});
