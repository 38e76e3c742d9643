import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { createTimeSkippingEnv, eventually } from '../../harness/temporal';

/** What a finished callback leaves in the store for the KPIs, written by the run itself. */
describe('a finished callback records its KPI row', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  const skill = 'kpi-sales';

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    stack = await startCallbackStack(env);
    for (const agent of ['ana', 'ben', 'cat'] as const) await stack.setAgent(agent, 'offline', [skill]);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  const rowOf = async (workflowId: string) => {
    const runs = await stack.services.store.callbackRunsRequested(0, Number.MAX_SAFE_INTEGER);
    return runs.filter((run) => run.workflowId === workflowId);
  };

  it('records an ignored abandon with the reason it was ignored', async () => {
    const workflowId = await stack.abandon('+12125559301', { queue: skill, waitedSeconds: 4 });
    await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(await rowOf(workflowId)).toEqual([
      expect.objectContaining({
        origin: 'abandon',
        queue: skill,
        decision: 'ignore',
        decisionReason: 'short-abandon',
        outcome: 'ignored',
        offers: [],
        customerAttempts: 0,
        conversationAtMs: null,
      }),
    ]);
  });

  it('records the offers, their answers, the attempt and the conversation of a connected callback', async () => {
    const workflowId = await stack.abandon('+12125559302', { queue: skill, tenant: 'acme' });
    await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
    await stack.setAgent('cat', 'available', [skill]);
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'cat');
    await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'cat', answer: 'reject' });
    await stack.setAgent('cat', 'away', [skill]);
    await stack.setAgent('ana', 'available', [skill]);
    await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ana');
    await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'accept' });
    await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
    await stack.recontact.callbacks.recordDisposition(
      { workflowId },
      { agentId: 'ana', disposition: 'resolved' },
    );
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    const connectedAt = done.timeline.find((entry) => entry.step === 'connected')?.at;
    const dialledAt = done.timeline.find((entry) => entry.step === 'dialling')?.at;
    // The acknowledgement promised a time: the row keeps it for punctuality.
    expect(done.timeline.some((entry) => entry.step === 'acknowledged')).toBe(true);
    expect(await rowOf(workflowId)).toEqual([
      expect.objectContaining({
        decision: 'callback',
        outcome: 'connected',
        agentId: 'ana',
        acknowledged: true,
        offers: [
          { agentId: 'cat', answer: 'rejected' },
          { agentId: 'ana', answer: 'accepted' },
        ],
        customerAttempts: 1,
        conversationAtMs: Date.parse(connectedAt ?? ''),
        requestedAtMs: Date.parse(done.requestedAt),
        tenant: 'acme',
        firstCallAtMs: Date.parse(dialledAt ?? ''),
        promisedByMs: expect.any(Number),
      }),
    ]);
    // What the provider was asked to send, for the cost: the call, and the acknowledgement's segments.
    const sends = (await stack.services.store.providerReports(0, Number.MAX_SAFE_INTEGER)).filter((send) =>
      send.attemptKey.startsWith(`${workflowId}/`),
    );
    expect(sends).toContainEqual(expect.objectContaining({ channel: 'voice', purpose: 'callback' }));
    // The provider's status callbacks add how each ended: the call's seconds, the text's delivery.
    const calls = stack.callsFor('+12125559302');
    const ended = await eventually(async () => {
      const reported = (await stack.services.store.providerReports(0, Number.MAX_SAFE_INTEGER)).filter(
        (send) => send.attemptKey.startsWith(`${workflowId}/`),
      );
      const call = reported.find((send) => send.channel === 'voice');
      const text = reported.find((send) => send.channel === 'sms');
      return call?.status === 'completed' && text?.status === 'delivered' ? { call, text } : undefined;
    });
    expect(ended.call.durationSeconds).toBe(calls[0]?.durationSeconds);
    const texts = stack.smsTo('+12125559302');
    expect(texts.length).toBeGreaterThan(0);
    expect(sends.filter((send) => send.channel === 'sms').map((send) => send.segments)).toEqual(
      texts.map((text) => text.numSegments),
    );
  }, 120_000);
});
