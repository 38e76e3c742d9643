import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { zoneOffsetMs } from '../../../domain/policy';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { createTimeSkippingEnv, eventually, skipToWinter } from '../../harness/temporal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OUR_NUMBER = '+15005550006';

/**
 * A time the customer gives us ("LATER 4pm") is their time, not the centre's (issue 13, item 4).
 * The test centre is in New York; the customers are not. Evidence: the store's agent holds, the
 * sandbox's outbox.
 */
describe('a callback reply is read in the customer’s zone (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  let next = 0;
  let skill = 'zone';
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    // Relative skips below use today's zone offset: keep them away from DST changes.
    await skipToWinter(env);
    stack = await startCallbackStack(env);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });
  beforeEach(async () => {
    skill = `zone-${(next += 1)}`;
    await stack.setAgent('ana', 'offline', [skill]);
  });

  /** Ends a test's callback so that its offer does not keep `ana` for the next test. */
  const done: string[] = [];
  afterEach(async () => {
    for (const workflowId of done.splice(0)) {
      await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    }
  });
  const holdsOf = async (workflowId: string) =>
    (await stack.services.store.listAgentHolds()).filter((hold) => hold.workflowId === workflowId);
  /** Skips the clock to the next `hour`:`minute` in `timeZone`. */
  const skipToLocal = async (timeZone: string, hour: number, minute: number): Promise<number> => {
    const now = await env.currentTimeMs();
    const local = now + zoneOffsetMs(now, timeZone);
    let target = Math.floor(local / (24 * HOUR)) * 24 * HOUR + hour * HOUR + minute * MINUTE;
    if (target <= local) target += 24 * HOUR;
    await env.sleep(target - local);
    return env.currentTimeMs();
  };
  const waitingCallback = async (phone: string) => {
    const workflowId = await stack.abandon(phone, { queue: skill });
    done.push(workflowId);
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await eventually(async () => (stack.smsTo(phone).length === 1 ? true : undefined));
    return workflowId;
  };

  it('calls a Los Angeles customer who replies "LATER 4pm" at 4 pm Los Angeles time, not New York’s', async () => {
    await skipToLocal('America/Los_Angeles', 9, 0);
    const phone = '+14155550140';
    const workflowId = await waitingCallback(phone);
    await stack.sandbox.simulateInboundSms({ from: phone, to: OUR_NUMBER, body: 'LATER 4pm' });
    await stack.waitForStatus(workflowId, (status) => status.state === 'scheduled');
    await stack.setAgent('ana', 'available', [skill]);

    // 16:00 in New York is 13:00 in Los Angeles: nobody may be offered the call then, nor later before 16:00.
    for (const [hour, minute] of [
      [13, 0],
      [15, 50],
    ] as const) {
      await skipToLocal('America/Los_Angeles', hour, minute);
      await env.sleep(30_000);
      await stack.requestDispatch();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await holdsOf(workflowId)).toEqual([]);
      expect(stack.callsFor(phone)).toEqual([]);
    }

    // The offer lasts 30 s of the server's clock: land on 16:00, not past it.
    await skipToLocal('America/Los_Angeles', 16, 0);
    await eventually(async () => ((await holdsOf(workflowId)).length === 1 ? true : undefined));
    expect((await holdsOf(workflowId))[0]?.agentId).toBe('ana');
  });

  it('asks back instead of guessing when the number’s zones disagree, and keeps the callback as it was', async () => {
    // A toll-free number may be anywhere in North America.
    const phone = '+18005550141';
    const workflowId = await waitingCallback(phone);
    await stack.sandbox.simulateInboundSms({ from: phone, to: OUR_NUMBER, body: 'LATER 4pm' });
    const question = await eventually(async () =>
      stack.smsTo(phone).find((message) => /time zone/i.test(message.body)),
    );
    expect(question.body).toContain('16:00');
    expect(stack.smsTo(phone)).toHaveLength(2);

    // Nothing moved: an agent who becomes available is offered the callback now.
    await stack.setAgent('ana', 'available', [skill]);
    await eventually(async () => ((await holdsOf(workflowId)).length === 1 ? true : undefined));
  });

  it('places "LATER 4pm PT" from a toll-free number at 4 pm Pacific time', async () => {
    await skipToLocal('America/Los_Angeles', 9, 0);
    const phone = '+18005550142';
    const workflowId = await waitingCallback(phone);
    await stack.sandbox.simulateInboundSms({ from: phone, to: OUR_NUMBER, body: 'LATER 4pm PT' });
    await stack.waitForStatus(workflowId, (status) => status.state === 'scheduled');
    await stack.setAgent('ana', 'available', [skill]);
    await skipToLocal('America/Los_Angeles', 13, 0);
    await env.sleep(30_000);
    await stack.requestDispatch();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await holdsOf(workflowId)).toEqual([]);
    await skipToLocal('America/Los_Angeles', 16, 0);
    await eventually(async () => ((await holdsOf(workflowId)).length === 1 ? true : undefined));
    expect(stack.smsTo(phone)).toHaveLength(1);
  });
});
