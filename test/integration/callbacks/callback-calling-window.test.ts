import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { zoneOffsetMs } from '../../../domain/policy';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { createTimeSkippingEnv, eventually } from '../../harness/temporal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** When a callback may be made: the US 08:00–21:00 window and a centre staffed 08:00–20:00 New York time. */
describe('abandonedCallCallback and the calling window (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    stack = await startCallbackStack(env, { policy: 'new-york-centre' });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });
  const smsTo = (phone: string) =>
    stack.sandbox.outbox.listMessages().filter((message) => message.to === phone);
  const callsFor = (phone: string) =>
    stack.agentCalls().filter((call) => call.legs.some((leg) => leg.to === phone));

  it('dials an abandon from 20:50 New York time the next day at 08:00 local, never in between', async () => {
    // Skip to the next 20:50 in New York.
    const now = await env.currentTimeMs();
    const local = now + zoneOffsetMs(now, 'America/New_York');
    const day = Math.floor(local / (24 * HOUR)) * 24 * HOUR;
    let target = day + 20 * HOUR + 50 * MINUTE;
    if (target <= local) target += 24 * HOUR;
    await env.sleep(target - local);

    const phone = '+12125550188';
    await stack.setAgent('ana', 'available');
    const workflowId = await stack.abandon(phone);
    const scheduled = await stack.waitForStatus(workflowId, (status) => status.state === 'scheduled');
    const due = Date.parse(scheduled.dueAt ?? '');
    const dueLocal = new Date(due + zoneOffsetMs(due, 'America/New_York'));
    expect([dueLocal.getUTCHours(), dueLocal.getUTCMinutes()]).toEqual([8, 0]);
    expect(due - (await env.currentTimeMs())).toBeGreaterThan(10 * HOUR);
    // The acknowledgement names the time.
    await eventually(async () => (smsTo(phone)[0]?.body.includes('tomorrow from 08:00') ? true : undefined));

    // Through the night, hour by hour: nobody is called.
    for (let hour = 0; hour < 11; hour += 1) {
      await env.sleep(HOUR);
      expect(callsFor(phone)).toHaveLength(0);
    }
    await env.sleep(Math.max(0, due - (await env.currentTimeMs())) + 1_000);
    const offered = await stack.waitForStatus(workflowId, (status) => status.state === 'offered');
    expect(offered.offer?.agentId).toBe('ana');
    await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'accept' });
    const onCall = await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
    const dialled = onCall.timeline.find((entry) => entry.step === 'dialling');
    const dialledAt = Date.parse(dialled?.at ?? '');
    expect(dialledAt).toBeGreaterThanOrEqual(due);
    expect(callsFor(phone)).toHaveLength(1);
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('connected');
  });
});
