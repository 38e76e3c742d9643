import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CallbackRejectedError } from '../../../client/callbacks';
import type { ClaimingAgent } from '../../../workflows/callback-messages';
import { claimingAgent, startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { createTimeSkippingEnv, eventually } from '../../harness/temporal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Workflow logic that needs hours or days, on the time-skipping server with the real channel stack. */
describe('abandonedCallCallback on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  let next = 0;
  /** A fresh New York number per test: every test gets its own callback run. */
  const newYorkNumber = () => `+1212555${String(200 + (next += 1)).padStart(4, '0')}`;
  /** Each test's callbacks and agents share a skill of their own, so runs left by one test never take another's agents. */
  let skill = 'sales';
  const abandon = (phone: string, extra: Parameters<CallbackStack['abandon']>[1] = {}) =>
    stack.abandon(phone, { queue: skill, ...extra });
  const setAgent = (id: 'ana' | 'ben' | 'cat', presence: 'available' | 'busy' | 'away' | 'offline') =>
    stack.setAgent(id, presence, [skill]);

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    stack = await startCallbackStack(env);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });
  beforeEach(async () => {
    skill = `sales-${(next += 1)}`;
    for (const agent of ['ana', 'ben', 'cat'] as const) await setAgent(agent, 'offline');
  });

  const claimant = (agentId: string, presence: ClaimingAgent['presence'] = 'available') =>
    claimingAgent(agentId, skill, presence);

  it('ignores a short abandon and contacts nobody', async () => {
    const phone = newYorkNumber();
    const workflowId = await abandon(phone, { waitedSeconds: 4 });
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('ignored');
    expect(done.detail).toContain('short-abandon');
    expect(stack.smsTo(phone)).toHaveLength(0);
  });

  it('never contacts an opted-out number', async () => {
    const phone = newYorkNumber();
    await stack.services.store.recordOptOut({
      address: phone,
      channel: 'all',
      source: 'sms-stop',
      at: Date.now(),
    });
    await setAgent('ana', 'available');
    const workflowId = await abandon(phone);
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('ignored');
    expect(done.detail).toContain('opted-out');
    expect(stack.smsTo(phone)).toHaveLength(0);
    expect(stack.callsFor(phone)).toHaveLength(0);
  });

  it('merges a second abandon from the same number into the pending callback, keeping the first time', async () => {
    const phone = newYorkNumber();
    const firstAt = await stack.nowIso();
    const first = await abandon(phone, { abandonedAt: firstAt });
    await stack.waitForStatus(first, (status) => status.state === 'waiting-for-agent');
    await env.sleep(5 * MINUTE);
    const second = await abandon(phone, { ivrInput: 'billing' });
    expect(second).toBe(first);
    const merged = await stack.waitForStatus(first, (status) => status.context.abandonCount === 2);
    expect(merged.requestedAt).toBe(firstAt);
    expect(merged.context.reason).toBe('billing');
    // One acknowledgement, one run.
    expect(stack.smsTo(phone)).toHaveLength(1);
    await stack.recontact.callbacks.cancel({ workflowId: first }, { by: 'test' });
  });

  it('never dials when the customer reached us before the callback was due', async () => {
    const phone = newYorkNumber();
    const workflowId = await abandon(phone);
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    const result = await stack.recontact.callbacks.customerReachedUs(
      { phone },
      { by: 'acd', channel: 'chat' },
    );
    expect(result).toEqual({ stopped: true, dialStarted: false });
    await setAgent('ana', 'available');
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('resolved-elsewhere');
    await env.sleep(3 * HOUR);
    expect(stack.callsFor(phone)).toHaveLength(0);
  });

  it('refuses a claim after an acknowledged cancel, and ends the call when the cancel comes after the dial', async () => {
    // Cancel first: acknowledged with dialStarted false, then every claim is refused and nothing is dialled.
    const phone = newYorkNumber();
    const workflowId = await abandon(phone);
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    const cancelled = await stack.recontact.callbacks.cancel(
      { workflowId },
      { by: 'supervisor', reason: 'duplicate' },
    );
    expect(cancelled.dialStarted).toBe(false);
    await expect(stack.recontact.callbacks.claim({ workflowId }, claimant('ana'))).rejects.toThrow(
      /no longer be claimed|closed|completed/,
    );
    expect(stack.callsFor(phone)).toHaveLength(0);

    // Claimed and connected: the customer is talking with the agent, there is nothing left to cancel.
    const other = newYorkNumber();
    const second = await abandon(other);
    await stack.waitForStatus(second, (status) => status.state === 'waiting-for-agent');
    await setAgent('ben', 'busy');
    await stack.recontact.callbacks.claim({ workflowId: second }, claimant('ben', 'busy'));
    await stack.waitForStatus(second, (status) => status.state === 'on-call');
    const late = await stack.recontact.callbacks.cancel({ workflowId: second }, { by: 'supervisor' });
    expect(late).toEqual({ stopped: false, dialStarted: true });
    await stack.recontact.callbacks.recordDisposition(
      { workflowId: second },
      { agentId: 'ben', disposition: 'resolved' },
    );
    const done = await stack.waitForStatus(second, (status) => status.state === 'done');
    expect(done.outcome).toBe('connected');
    expect(stack.callsFor(other)).toHaveLength(1);
  });

  it('lets exactly one of two agents claim a callback at the same time', async () => {
    const phone = newYorkNumber();
    const workflowId = await abandon(phone);
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await setAgent('ana', 'busy');
    await setAgent('ben', 'busy');
    const results = await Promise.allSettled([
      stack.recontact.callbacks.claim({ workflowId }, claimant('ana', 'busy')),
      stack.recontact.callbacks.claim({ workflowId }, claimant('ben', 'busy')),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const reason = (lost[0] as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(CallbackRejectedError);
    expect(reason.message).toBe('another agent already claimed this callback');
    const winner =
      (won[0] as PromiseFulfilledResult<{ agent?: { agentId: string } }>).value.agent?.agentId ?? '';
    await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: winner, disposition: 'resolved' },
    );
    await stack.waitForStatus(workflowId, (status) => status.state === 'done');
  });

  it('refuses a claim by an agent without the skill', async () => {
    const workflowId = await abandon(newYorkNumber());
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await expect(
      stack.recontact.callbacks.claim({ workflowId }, { ...claimant('cat'), skills: ['billing'] }),
    ).rejects.toThrow(`agent cat lacks the skill ${skill}`);
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
  });

  it('places no call while no agent is available, then offers within seconds of a presence change', async () => {
    const phone = newYorkNumber();
    const workflowId = await abandon(phone);
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await env.sleep(6 * HOUR);
    expect((await stack.status(workflowId)).state).toBe('waiting-for-agent');
    expect(stack.callsFor(phone)).toHaveLength(0);

    const before = Date.now();
    await setAgent('cat', 'available');
    const offered = await stack.waitForStatus(workflowId, (status) => status.state === 'offered');
    expect(offered.offer?.agentId).toBe('cat');
    expect(Date.now() - before).toBeLessThan(5_000);

    // An offer nobody answers goes to the next agent after the preview time-out.
    await setAgent('ana', 'available');
    await env.sleep(31_000);
    const reoffered = await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ana');
    expect(reoffered.timeline.map((entry) => entry.step)).toContain('offer-timed-out');
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
  });

  it('retries a busy line per the ladder, sends the fallback SMS after the last attempt, and reopens on reply 1', async () => {
    const phone = '+14155550101'; // the sandbox's busy line
    const workflowId = await abandon(phone, { tier: 'gold' });
    await setAgent('ana', 'busy');
    const after = await stack.claimThroughLadder(workflowId, claimant('ana', 'busy'), 3);
    expect(after.map((status) => status.attempts.at(-1)?.outcome)).toEqual(['busy', 'busy', 'busy']);
    const attemptAt = after.map((status) => Date.parse(status.attempts.at(-1)?.at ?? ''));
    // The ladder's busy delays: 5, then 10 minutes.
    expect(attemptAt[1]! - attemptAt[0]!).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(attemptAt[2]! - attemptAt[1]!).toBeGreaterThanOrEqual(10 * MINUTE);
    const fallback = await stack.waitForStatus(workflowId, (status) => status.state === 'fallback-sent');
    expect(fallback.attempts).toHaveLength(3);
    const missed = await eventually(async () =>
      stack.smsTo(phone).find((message) => message.body.includes('Reply 1')),
    );
    expect(missed.body).toContain('could not reach you');

    await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: '1' });
    const reopened = await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    expect(reopened.timeline.map((entry) => entry.step)).toContain('reopened');
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
  }, 120_000);

  it('leaves a voicemail message once, and retries per the ladder', async () => {
    const phone = '+14155550103'; // the sandbox's voicemail
    const workflowId = await abandon(phone);
    await setAgent('ana', 'busy');
    await stack.claimThroughLadder(workflowId, claimant('ana', 'busy'), 3);
    const status = await stack.status(workflowId);
    expect(status.attempts.map((attempt) => attempt.outcome)).toEqual([
      'voicemail',
      'voicemail',
      'voicemail',
    ]);
    await stack.sandbox.idle();
    const messagesLeft = stack
      .callsFor(phone)
      .flatMap((call) => call.legs)
      .filter((leg) =>
        leg.verbs.some((verb) => verb.verb === 'Say' && verb.text.includes('returning your call')),
      );
    expect(messagesLeft).toHaveLength(1);
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' }).catch(() => undefined);
  }, 120_000);
});
