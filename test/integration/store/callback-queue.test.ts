import type { UpsertAgentInput } from '../../../store';
import { OFFER_HOLD_GRACE_MS } from '../../../store/callback-queue';
import { describeEachBackend, freshStorePerTest } from './store-backends';

const T0 = Date.parse('2025-03-01T10:00:00Z');

function agent(id: string, presenceAt: number, overrides: Partial<UpsertAgentInput> = {}): UpsertAgentInput {
  return {
    id,
    name: id,
    address: `client:${id}`,
    skills: ['sales'],
    presence: 'available',
    at: presenceAt,
    ...overrides,
  };
}

describeEachBackend('the callback queue and agent holds', (backend) => {
  const fixture = freshStorePerTest(backend);
  const queued = (workflowId: string, priority: number, requestedAtMs: number) => ({
    workflowId,
    skill: 'sales',
    priority,
    requestedAtMs,
  });

  it('offers in service order, one callback per agent, and not again while the offer holds', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('ana', T0));
    await store.upsertAgent(agent('ben', T0 + 1_000));
    await store.enqueueCallback(queued('low', 0, T0), T0);
    await store.enqueueCallback(queued('high', 20, T0 + 5_000), T0);
    await store.enqueueCallback(queued('third', 0, T0 + 9_000), T0);
    const offers = await store.dispatchCallbacks({ now: T0 + 10_000, offerMs: 30_000 });
    expect(offers.map(({ workflowId, agentId }) => [workflowId, agentId])).toEqual([
      ['high', 'ana'],
      ['low', 'ben'],
    ]);
    expect(await store.dispatchCallbacks({ now: T0 + 11_000, offerMs: 30_000 })).toEqual([]);
    expect((await store.listCallbackQueue()).map((entry) => [entry.workflowId, entry.hold?.agentId])).toEqual(
      [
        ['high', 'ana'],
        ['low', 'ben'],
        ['third', undefined],
      ],
    );
  });

  it('tells the dispatcher what waits, what is held and when time alone can change an offer', async () => {
    const { store } = fixture;
    expect(await store.dispatchOutlook(T0)).toEqual({ waiting: 0, held: 0, freeAgents: 0 });
    await store.upsertAgent(agent('ana', T0));
    await store.enqueueCallback(
      { ...queued('owned', 0, T0), preferredAgentId: 'ben', preferredOnlyUntilMs: T0 + 90_000 },
      T0,
    );
    await store.enqueueCallback(queued('open', 0, T0 + 1_000), T0);
    // The owner's exclusive wait ends first.
    expect(await store.dispatchOutlook(T0)).toEqual({
      waiting: 2,
      held: 0,
      freeAgents: 1,
      nextEventAtMs: T0 + 90_001,
    });
    await store.dispatchCallbacks({ now: T0, offerMs: 10_000 });
    // ana holds an offer of 'open' until the preview and its grace end.
    expect(await store.dispatchOutlook(T0)).toEqual({
      waiting: 2,
      held: 1,
      freeAgents: 0,
      nextEventAtMs: T0 + 10_000 + OFFER_HOLD_GRACE_MS + 1,
    });
    // A wait that has ended counts no more.
    expect(await store.dispatchOutlook(T0 + 95_000)).toEqual({
      waiting: 2,
      held: 1,
      freeAgents: 0,
      nextEventAtMs: T0 + 95_001,
    });
  });

  it('never lets two dispatchers racing offer one agent twice', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('ana', T0));
    for (let index = 0; index < 5; index += 1)
      await store.enqueueCallback(queued(`w${index}`, 0, T0 + index), T0);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => store.dispatchCallbacks({ now: T0 + 10_000, offerMs: 30_000 })),
    );
    expect(results.flat()).toHaveLength(1);
  });

  it('gives a declined agent the next callback, not the declined one, and drops offers only after their run had time to end them', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('ana', T0));
    await store.enqueueCallback(queued('first', 10, T0), T0);
    await store.enqueueCallback(queued('second', 0, T0), T0);
    const [offer] = await store.dispatchCallbacks({ now: T0, offerMs: 30_000 });
    expect(offer?.workflowId).toBe('first');
    await store.declineOffer('first', 'ana');
    const [next] = await store.dispatchCallbacks({ now: T0 + 1_000, offerMs: 30_000 });
    expect(next?.workflowId).toBe('second');
    // Past the preview's end the offer is still the run's to end (it times the preview on its own clock)…
    await store.enqueueCallback(queued('third', 0, T0 + 2), T0);
    expect(await store.dispatchCallbacks({ now: T0 + 40_000, offerMs: 30_000 })).toEqual([]);
    // …and only a run that never ended it (a worker down) loses it, after the grace.
    const later = await store.dispatchCallbacks({
      now: T0 + 1_000 + 30_000 + OFFER_HOLD_GRACE_MS + 1,
      offerMs: 30_000,
    });
    expect(later.map((made) => made.workflowId)).toEqual(['second']);
  });

  it('holds an agent for one call only, and frees them when the callback leaves', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('ana', T0));
    await store.enqueueCallback(queued('one', 0, T0), T0);
    await store.enqueueCallback(queued('two', 0, T0), T0);
    expect(await store.holdAgentForCall('one', 'ana', T0)).toEqual({ ok: true });
    expect(await store.holdAgentForCall('two', 'ana', T0)).toEqual({
      ok: false,
      reason: 'agent-busy-elsewhere',
      heldFor: 'one',
    });
    await store.leaveCallbackQueue('one');
    expect(await store.holdAgentForCall('two', 'ana', T0)).toEqual({ ok: true });
  });

  it('remembers who last served a customer, within a window', async () => {
    const { store } = fixture;
    await store.recordCustomerOwner('c_key', 'ana', T0);
    await store.recordCustomerOwner('c_key', 'ben', T0 + 10);
    expect(await store.customerOwner('c_key', T0)).toBe('ben');
    expect(await store.customerOwner('c_key', T0 + 11)).toBeUndefined();
  });
});
