import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releaseHoldsOfClosedRuns } from '../../../services/callback-dispatcher';
import { createEndCall } from '../../../activities/channels/place-call';
import { CALLBACK_HISTORY_BOUND } from '../../../workflows/abandoned-call-callback';
import type { ClaimingAgent } from '../../../workflows/callback-messages';
import { claimingAgent, startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { createTimeSkippingEnv, eventually } from '../../harness/temporal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A contact centre's real life, one defect at a time (issue 11): the same customer coming back, a
 * 40-minute conversation, a provider outage, an agent whose phone fails, an abandon during the call,
 * a callback that waits for days, offers that race the store. Evidence from the sandbox's outbox and
 * the store, not from the runs' timelines.
 */
describe('callbacks through a contact centre’s real life (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  let next = 0;
  const newYorkNumber = () => `+1212555${String(600 + (next += 1)).padStart(4, '0')}`;
  let skill = 'sales';
  const abandon = (phone: string, extra: Parameters<CallbackStack['abandon']>[1] = {}) =>
    stack.abandon(phone, { queue: skill, ...extra });
  const setAgent = (id: 'ana' | 'ben' | 'cat', presence: 'available' | 'busy' | 'away' | 'offline') =>
    stack.setAgent(id, presence, [skill]);
  const claimant = (agentId: string, presence: ClaimingAgent['presence'] = 'available') =>
    claimingAgent(agentId, skill, presence);
  const holdsOf = async (workflowId: string) =>
    (await stack.services.store.listAgentHolds()).filter((hold) => hold.workflowId === workflowId);
  const claimAndTalk = async (workflowId: string, agentId: 'ana' | 'ben' | 'cat') => {
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await stack.recontact.callbacks.claim({ workflowId }, claimant(agentId, 'busy'));
    return stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    stack = await startCallbackStack(env);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });
  beforeEach(async () => {
    skill = `life-${(next += 1)}`;
    for (const agent of ['ana', 'ben', 'cat'] as const) await setAgent(agent, 'offline');
  });

  it('acknowledges and calls a returning customer again: every run sends its own SMS and places its own call', async () => {
    const phone = newYorkNumber();
    const first = await abandon(phone);
    await claimAndTalk(first, 'ana');
    await stack.recontact.callbacks.recordDisposition(
      { workflowId: first },
      { agentId: 'ana', disposition: 'resolved' },
    );
    await stack.waitForStatus(first, (status) => status.state === 'done');
    await eventually(async () => (stack.smsTo(phone).length === 1 ? true : undefined));
    expect(stack.callsFor(phone)).toHaveLength(1);

    // The same customer abandons again minutes later: the same workflow id, a new run.
    await env.sleep(5 * MINUTE);
    const second = await abandon(phone);
    expect(second).toBe(first);
    await claimAndTalk(second, 'ben');
    const acks = await eventually(async () =>
      stack.smsTo(phone).length === 2 ? stack.smsTo(phone) : undefined,
    );
    expect(new Set(acks.map((message) => message.sid)).size).toBe(2);
    const calls = await eventually(async () =>
      stack.callsFor(phone).length === 2 ? stack.callsFor(phone) : undefined,
    );
    expect(calls.map((call) => call.to)).toEqual(expect.arrayContaining(['+14155550123', '+14155550124']));
    await stack.recontact.callbacks.recordDisposition(
      { workflowId: second },
      { agentId: 'ben', disposition: 'resolved' },
    );
    expect((await stack.waitForStatus(second, (status) => status.state === 'done')).outcome).toBe(
      'connected',
    );
  });

  it('is on the call from the moment the customer answers, for as long as they talk, and never hangs up on them', async () => {
    const phone = newYorkNumber();
    stack.sandbox.holdConversations(phone);
    const workflowId = await abandon(phone);
    await claimAndTalk(workflowId, 'ana');

    // Ninety minutes of conversation (workflow time): still on the call, nobody re-dialled.
    await env.sleep(90 * MINUTE);
    const talking = await stack.status(workflowId);
    expect(talking.state).toBe('on-call');
    expect(stack.callsFor(phone)).toHaveLength(1);
    expect((await holdsOf(workflowId)).map((hold) => [hold.agentId, hold.kind])).toEqual([['ana', 'call']]);

    // A cancel and "the customer reached us" during the conversation stop nothing.
    expect(await stack.recontact.callbacks.cancel({ workflowId }, { by: 'supervisor' })).toMatchObject({
      stopped: false,
    });
    expect(await stack.recontact.callbacks.customerReachedUs({ workflowId }, { by: 'crm' })).toMatchObject({
      stopped: false,
    });
    const [live] = stack.callsFor(phone);
    expect(live?.endTime).toBeNull();
    // Even asked directly, the voice activity refuses to end a call whose customer leg is live.
    const endCall = createEndCall({ twilio: stack.services.twilio });
    expect(await endCall(live?.sid ?? '')).toBe('in-conversation');
    expect(stack.callsFor(phone)[0]?.endTime).toBeNull();

    // The agent records the outcome while still talking; the customer hangs up; the run ends connected.
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );
    stack.sandbox.hangUp(phone);
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('connected');
    const [call] = stack.callsFor(phone);
    const customerLeg = call?.legs.find((leg) => leg.to === phone);
    expect(customerLeg?.hungUpBy).toBe('party');
    expect(call?.hungUpBy).not.toBe('api');
    expect(await holdsOf(workflowId)).toEqual([]);
  });

  it('stays on a conversation through a provider outage that outlasts the hourly status check and its retries', async () => {
    const phone = newYorkNumber();
    stack.sandbox.holdConversations(phone);
    const workflowId = await abandon(phone);
    await claimAndTalk(workflowId, 'ana');
    // Twilio answers 503 to everything while the run's hourly "is the call still on?" check and all
    // its retries run: no answer is not an answer, and the run must not fail over it.
    stack.sandbox.injectFault({ status: 503, seconds: 600 });
    await env.sleep(90 * MINUTE);
    const talking = await stack.waitForStatus(workflowId, (status) =>
      status.timeline.some((entry) => entry.step === 'provider-unavailable'),
    );
    expect(talking.state).toBe('on-call');
    expect((await holdsOf(workflowId)).map((hold) => [hold.agentId, hold.kind])).toEqual([['ana', 'call']]);
    // From the outside: the provider's call is still live, nobody hung up on the customer.
    expect(stack.callsFor(phone)[0]?.endTime).toBeNull();

    stack.sandbox.clearFaults();
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );
    stack.sandbox.hangUp(phone);
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('connected');
    expect(stack.callsFor(phone)).toHaveLength(1);
  }, 120_000);

  it('frees the agent however the run ends: cancelled from Temporal, or terminated (the reaper)', async () => {
    const cancelledPhone = newYorkNumber();
    stack.sandbox.holdConversations(cancelledPhone);
    const cancelled = await abandon(cancelledPhone);
    await claimAndTalk(cancelled, 'ana');
    await stack.temporal.workflow.getHandle(cancelled).cancel();
    await eventually(async () => ((await holdsOf(cancelled)).length === 0 ? true : undefined));
    stack.sandbox.hangUp(cancelledPhone);

    const terminatedPhone = newYorkNumber();
    stack.sandbox.holdConversations(terminatedPhone);
    const terminated = await abandon(terminatedPhone);
    await claimAndTalk(terminated, 'ben');
    await stack.temporal.workflow.getHandle(terminated).terminate('test: an administrator terminates it');
    // A terminated run runs no code: its hold stays until the dispatcher's reaper sees the run closed.
    expect(await holdsOf(terminated)).toHaveLength(1);
    const freed = await releaseHoldsOfClosedRuns(
      stack.services.store,
      stack.temporal,
      Date.now() + 2 * MINUTE,
    );
    expect(freed).toContain(terminated);
    expect(await holdsOf(terminated)).toEqual([]);
    stack.sandbox.hangUp(terminatedPhone);
  });

  it('parks a callback through a provider outage longer than the retry budget, then calls when the provider is back', async () => {
    const phone = newYorkNumber();
    // Twilio answers 503 to everything (SMS and calls) until the test clears it, while the test skips
    // through every retry of the acknowledgement and of the call (however slow the machine is).
    stack.sandbox.injectFault({ status: 503, seconds: 600 });
    const workflowId = await abandon(phone);
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await stack.recontact.callbacks.claim({ workflowId }, claimant('ana', 'busy'));
    await env.sleep(30 * MINUTE);
    const parked = await stack.waitForStatus(workflowId, (status) =>
      status.timeline.some((entry) => entry.step === 'provider-unavailable'),
    );
    expect(parked.state).not.toBe('done');
    expect(parked.timeline.map((entry) => entry.step)).toContain('sms-failed');
    expect(stack.callsFor(phone)).toHaveLength(0);
    expect(await holdsOf(workflowId)).toEqual([]);

    stack.sandbox.clearFaults();
    await env.sleep(15 * MINUTE);
    await claimAndTalk(workflowId, 'ana');
    expect(stack.callsFor(phone)).toHaveLength(1);
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );
    expect((await stack.waitForStatus(workflowId, (status) => status.state === 'done')).outcome).toBe(
      'connected',
    );
  }, 120_000);

  it('takes an agent whose phone number is invalid out of rotation and offers the callback to the next agent', async () => {
    await stack.services.store.upsertAgent({
      id: 'cat',
      name: 'CAT',
      address: '+15005550001', // Twilio's magic invalid number: 21211 on the call to the agent
      skills: [skill],
      languages: ['en'],
      presence: 'available',
      at: Date.now(),
    });
    const phone = newYorkNumber();
    const workflowId = await abandon(phone);
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'cat');
    await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'cat', answer: 'accept' });
    const cat = await eventually(async () => {
      const agent = await stack.services.store.getAgent('cat');
      return agent?.presence === 'away' ? agent : undefined;
    });
    expect(cat.presenceNote).toMatch(/not .*valid/);
    // Supervisors read it from the API.
    const fromApi = await fetch(`http://127.0.0.1:${stack.config.API_PORT}/v1/agents/cat`, {
      headers: { authorization: 'Bearer test-token' },
    });
    expect(((await fromApi.json()) as { presenceNote?: string }).presenceNote).toBe(cat.presenceNote);
    const waiting = await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    expect(waiting.outcome).toBeUndefined();

    await setAgent('ana', 'available');
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ana');
    await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'accept' });
    await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
    expect(stack.callsFor(phone).map((call) => call.to)).toEqual(['+14155550123']);
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );
    await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    // Back on duty once the number is fixed and the agent signs in again: the note is gone.
    await setAgent('cat', 'available');
    expect((await stack.services.store.getAgent('cat'))?.presenceNote).toBeUndefined();
  });

  it('serves an abandon that arrives while the customer is on the call, after the call', async () => {
    const phone = newYorkNumber();
    stack.sandbox.holdConversations(phone);
    const workflowId = await abandon(phone);
    const talking = await claimAndTalk(workflowId, 'ana');
    const firstRun = (await stack.temporal.workflow.getHandle(workflowId).describe()).runId;
    await abandon(phone); // the customer rings the queue again from another phone in the house, and gives up
    stack.sandbox.hangUp(phone);
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );

    // The first callback ends connected; the late abandon gets a callback of its own, acknowledged.
    const nextRun = await eventually(async () => {
      const { runId } = await stack.temporal.workflow.getHandle(workflowId).describe();
      return runId !== firstRun ? runId : undefined;
    });
    expect(nextRun).not.toBe(firstRun);
    const waiting = await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    expect(waiting.timeline.some((entry) => entry.step === 'connected')).toBe(false);
    await eventually(async () => (stack.smsTo(phone).length === 2 ? true : undefined));
    expect(talking.state).toBe('on-call');
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
  });

  it('waits for days without polling; offered again and again, continues as new, each run’s history bounded, and is still served', async () => {
    const phone = newYorkNumber();
    const workflowId = await abandon(phone, { waitedSeconds: 200 });
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    // The step that queued it is done (its desk row and queue entry are written), so its events are
    // counted before the wait, not in it.
    await eventually(async () => {
      const { store } = stack.services;
      const written =
        (await store.deskCallbacksOf([workflowId])).has(workflowId) &&
        (await store.queuedCallback(workflowId)) !== undefined;
      return written ? true : undefined;
    });
    const handle = stack.temporal.workflow.getHandle(workflowId);
    const firstRunId = (await handle.describe()).runId;
    const historyOf = async (runId: string) =>
      (await stack.temporal.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];

    // Nobody is available for six hours: the run sleeps on its own deadlines and asks nothing.
    const before = (await historyOf(firstRunId)).length;
    await env.sleep(6 * HOUR);
    expect((await handle.describe()).runId).toBe(firstRunId);
    expect((await historyOf(firstRunId)).length - before).toBeLessThan(20);

    // Then an agent who never answers is offered it again and again for five hours: every offer and
    // every new round adds events, and the run continues as new before its history gets long.
    await setAgent('ana', 'available');
    for (let hour = 0; hour < 5; hour += 1) await env.sleep(HOUR);
    const lengths: number[] = [];
    let runId: string | undefined = firstRunId;
    while (runId !== undefined) {
      const events = await historyOf(runId);
      lengths.push(events.length);
      const last = events[events.length - 1];
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    expect(lengths.length).toBeGreaterThan(1);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(CALLBACK_HISTORY_BOUND);

    // The continued run remembers the callback: one acknowledgement, and the call when ana accepts.
    // Its next offer comes within one round (2 minutes of declines, then 30 s of offer): where in the
    // round the five hours ended depends on each cycle's real-time overhead, so time moves on to it.
    for (let step = 0; step < 12; step += 1) {
      if ((await stack.status(workflowId)).offer?.agentId === 'ana') break;
      await env.sleep(15_000);
    }
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ana');
    await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'accept' });
    await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
    expect(stack.smsTo(phone)).toHaveLength(1);
    expect(stack.callsFor(phone)).toHaveLength(1);
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );
    await stack.waitForStatus(workflowId, (status) => status.state === 'done');
  }, 180_000);

  it('never accepts a claim it will not dial: a claim at the moment the callback expires is refused or dialled', async () => {
    const phone = newYorkNumber();
    const { workflowId } = await stack.recontact.callbacks.scheduleCallback({
      phone,
      at: new Date((await env.currentTimeMs()) + 5 * MINUTE).toISOString(),
      queue: skill,
      skill,
      ttlHours: 1,
    });
    const scheduled = await stack.waitForStatus(workflowId, (status) => status.state === 'scheduled');
    await stack.sleepUntil(Date.parse(scheduled.dueAt ?? '') + 1_000);
    const waiting = await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await stack.sleepUntil(Date.parse(waiting.expiresAt ?? ''));
    const claimed = await stack.recontact.callbacks.claim({ workflowId }, claimant('ana', 'busy')).then(
      () => true,
      (error: Error) => {
        expect(error.message).toMatch(/closing|expired|no longer be claimed/);
        return false;
      },
    );
    const done = await stack.waitForStatus(
      workflowId,
      (status) => status.state === 'done' || status.state === 'on-call',
    );
    if (claimed) {
      expect(done.state).toBe('on-call');
      expect(stack.callsFor(phone)).toHaveLength(1);
      await stack.recontact.callbacks.recordDisposition(
        { workflowId },
        { agentId: 'ana', disposition: 'resolved' },
      );
    } else {
      expect(done.outcome).toBe('expired');
      expect(stack.callsFor(phone)).toHaveLength(0);
    }
  });

  it('never lets the store offer a callback to a second agent while its run still counts the first offer', async () => {
    const workflowId = await abandon(newYorkNumber());
    await setAgent('ana', 'available');
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ana');
    await stack.services.store.upsertAgent({
      id: 'ben',
      name: 'BEN',
      address: '+14155550124',
      skills: [skill],
      languages: ['en'],
      presence: 'available',
      at: Date.now(),
    });
    // A dispatcher whose clock is just past the preview's end, while the run's own timer has not fired.
    const offerMs = stack.config.CALLBACK_OFFER_SECONDS * 1_000;
    const made = await stack.services.store.dispatchCallbacks({ now: Date.now() + offerMs + 1_000, offerMs });
    expect(made.filter((offer) => offer.workflowId === workflowId)).toEqual([]);
    expect((await holdsOf(workflowId)).map((hold) => hold.agentId)).toEqual(['ana']);
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
  });

  it('keeps a reassignment and a priority raise made during an offer', async () => {
    const workflowId = await abandon(newYorkNumber());
    await setAgent('ana', 'available');
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ana');
    const [before] = (await stack.services.store.listCallbackQueue()).filter(
      (entry) => entry.workflowId === workflowId,
    );

    await stack.recontact.callbacks.raisePriority({ workflowId }, { points: 500, by: 'supervisor' });
    await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'reject' });
    const raised = await eventually(async () => {
      const [entry] = (await stack.services.store.listCallbackQueue()).filter(
        (candidate) => candidate.workflowId === workflowId,
      );
      return entry !== undefined && entry.priority >= (before?.priority ?? 0) + 500 ? entry : undefined;
    });
    expect(raised.declinedAgentIds).toContain('ana');

    // Offered again (ana declined, so to ben); a supervisor gives it to cat: ben's offer is withdrawn.
    await setAgent('ben', 'available');
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ben');
    await setAgent('cat', 'available');
    await stack.recontact.callbacks.reassign({ workflowId }, { agentId: 'cat', by: 'supervisor' });
    const moved = await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'cat');
    expect(moved.timeline.map((entry) => entry.step)).toContain('offer-withdrawn');
    expect((await holdsOf(workflowId)).map((hold) => hold.agentId)).toEqual(['cat']);
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
  });
});
