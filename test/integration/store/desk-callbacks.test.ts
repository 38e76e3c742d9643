import type { Agent, DeskCallbackInput, UpsertAgentInput } from '../../../store';
import { describeEachBackend, freshStorePerTest } from './store-backends';

const T0 = Date.parse('2025-03-01T10:00:00Z');

function agentInput(id: string, overrides: Partial<UpsertAgentInput> = {}): UpsertAgentInput {
  return {
    id,
    name: id,
    address: `client:${id}`,
    skills: ['sales'],
    languages: ['en'],
    presence: 'available',
    at: T0,
    ...overrides,
  };
}

function card(workflowId: string, overrides: Partial<DeskCallbackInput> = {}): DeskCallbackInput {
  return {
    workflowId,
    state: 'waiting-for-agent',
    priority: 0,
    requestedAtMs: T0,
    origin: 'abandon',
    queue: 'Sales',
    skill: 'sales',
    customerName: `Customer ${workflowId}`,
    waitedSeconds: 42.5,
    abandonCount: 1,
    attempts: [],
    version: T0 * 1_000,
    ...overrides,
  };
}

describeEachBackend('the desk read model', (backend) => {
  const fixture = freshStorePerTest(backend);
  /** A due callback as its run writes it: the desk row, then the queue entry. */
  const waiting = async (workflowId: string, priority: number, requestedAtMs: number, extra = {}) => {
    await fixture.store.publishDeskCallback(card(workflowId, { priority, requestedAtMs }), T0);
    await fixture.store.enqueueCallback(
      { workflowId, skill: 'sales', priority, requestedAtMs, ...extra },
      T0,
    );
  };
  const agent = async (id: string, overrides: Partial<UpsertAgentInput> = {}): Promise<Agent> =>
    fixture.store.upsertAgent(agentInput(id, overrides));

  it('pages an agent through 250 waiting callbacks in service order, with the total', async () => {
    const ana = await agent('ana');
    for (let index = 0; index < 250; index += 1) {
      // Priorities 0–4 in turn, requested a second apart: service order is priority, then time.
      await waiting(`callback-${String(index).padStart(3, '0')}`, index % 5, T0 + index * 1_000);
    }
    const seen: string[] = [];
    for (let offset = 0; offset < 300; offset += 60) {
      const page = await fixture.store.claimablePage(ana, { offset, limit: 60 }, T0);
      expect(page.total).toBe(250);
      seen.push(...page.items.map((item) => item.entry.workflowId));
      for (const item of page.items)
        expect(item.card?.customerName).toBe(`Customer ${item.entry.workflowId}`);
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    const expected = Array.from({ length: 250 }, (_, index) => index)
      .sort((a, b) => (b % 5) - (a % 5) || a - b)
      .map((index) => `callback-${String(index).padStart(3, '0')}`);
    expect(seen).toEqual(expected);
    const supervisor = await fixture.store.supervisedPage({}, { offset: 200, limit: 100 });
    expect(supervisor.total).toBe(250);
    expect(supervisor.items.map((item) => item.card.workflowId)).toEqual(expected.slice(200));
  });

  it('shows an agent only what they may claim: not held by, claimed by or reserved for others, nor other skills or languages', async () => {
    // Ben, the only available agent, is offered the first callback.
    await agent('ben');
    await waiting('callback-offered', 0, T0 + 6);
    expect(await fixture.store.dispatchCallbacks({ now: T0, offerMs: 30_000 })).toEqual([
      expect.objectContaining({ workflowId: 'callback-offered', agentId: 'ben' }),
    ]);
    const ana = await agent('ana', { languages: ['es-ES', 'en'], presence: 'busy' });
    await waiting('callback-free', 0, T0);
    await waiting('callback-spanish', 0, T0 + 1, { language: 'es-MX' });
    await waiting('callback-french', 0, T0 + 2, { language: 'fr' });
    await fixture.store.publishDeskCallback(card('callback-billing', { skill: 'billing' }), T0);
    await fixture.store.enqueueCallback(
      { workflowId: 'callback-billing', skill: 'billing', priority: 0, requestedAtMs: T0 + 3 },
      T0,
    );
    await waiting('callback-reserved', 0, T0 + 4, {
      preferredAgentId: 'ben',
      preferredOnlyUntilMs: T0 + 60_000,
    });
    await waiting('callback-reserved-over', 0, T0 + 5, {
      preferredAgentId: 'ben',
      preferredOnlyUntilMs: T0 - 1,
    });
    await waiting('callback-claimed', 0, T0 + 7);
    await fixture.store.publishDeskCallback(
      card('callback-claimed', { requestedAtMs: T0 + 7, agentId: 'ben', version: T0 * 1_000 + 1 }),
      T0,
    );

    const ids = async (now: number) =>
      (await fixture.store.claimablePage(ana, { offset: 0, limit: 50 }, now)).items.map(
        (item) => item.entry.workflowId,
      );
    expect(await ids(T0)).toEqual(['callback-free', 'callback-spanish', 'callback-reserved-over']);
    // Once Ben's preview has ended, his offer no longer keeps it from Ana.
    expect(await ids(T0 + 31_000)).toEqual([
      'callback-free',
      'callback-spanish',
      'callback-reserved-over',
      'callback-offered',
    ]);
  });

  it('keeps the newest write of a run, ends the row with the callback, and never lets the desk’s legacy write replace a run’s', async () => {
    const { store } = fixture;
    await store.publishDeskCallback(
      card('callback-a', { state: 'on-call', agentId: 'ana', version: 20 }),
      T0,
    );
    // An older write that finished late changes nothing.
    await store.publishDeskCallback(card('callback-a', { state: 'dialling', version: 10 }), T0);
    expect((await store.deskCallbacksOf(['callback-a'])).get('callback-a')).toMatchObject({
      state: 'on-call',
      agentId: 'ana',
      waitedSeconds: 42.5,
      legacy: false,
    });
    await store.recordLegacyDeskCallback('callback-a', { ...card('callback-a'), state: 'scheduled' }, T0);
    expect((await store.deskCallbacksOf(['callback-a'])).get('callback-a')?.state).toBe('on-call');
    await store.publishDeskCallback(card('callback-a', { state: 'done', version: 30 }), T0);
    expect((await store.supervisedPage({}, { offset: 0, limit: 10 })).total).toBe(0);

    // A legacy row is the desk's until the run (continued as new) writes its own.
    await store.recordLegacyDeskCallback('callback-old', { ...card('callback-old'), state: 'scheduled' }, T0);
    expect(await store.deskCallbacksToBackfill(10, T0 + 1)).toEqual(['callback-old']);
    await store.publishDeskCallback(card('callback-old', { state: 'waiting-for-agent', version: 5 }), T0);
    expect((await store.deskCallbacksOf(['callback-old'])).get('callback-old')).toMatchObject({
      state: 'waiting-for-agent',
      legacy: false,
    });
    // A queued callback without a row is one the desk must ask its run about.
    await store.enqueueCallback(
      { workflowId: 'callback-queued', skill: 'sales', priority: 0, requestedAtMs: T0 },
      T0,
    );
    expect(await store.deskCallbacksToBackfill(10, T0 + 1)).toEqual(['callback-queued']);
  });

  it('filters the supervisor’s page by state, skill, agent and age', async () => {
    const { store } = fixture;
    await store.publishDeskCallback(card('callback-a', { state: 'scheduled', requestedAtMs: T0 }), T0);
    await store.publishDeskCallback(
      card('callback-b', { state: 'on-call', agentId: 'ana', requestedAtMs: T0 + 60_000 }),
      T0,
    );
    await store.publishDeskCallback(
      card('callback-c', { skill: 'billing', queue: 'Billing', requestedAtMs: T0 + 120_000 }),
      T0,
    );
    const ids = async (filter: Parameters<typeof store.supervisedPage>[0]) =>
      (await store.supervisedPage(filter, { offset: 0, limit: 10 })).items.map(
        (item) => item.card.workflowId,
      );
    expect(await ids({})).toEqual(['callback-a', 'callback-b', 'callback-c']);
    expect(await ids({ state: 'scheduled' })).toEqual(['callback-a']);
    expect(await ids({ skill: 'billing' })).toEqual(['callback-c']);
    expect(await ids({ agentId: 'ana' })).toEqual(['callback-b']);
    expect(await ids({ requestedBeforeMs: T0 + 60_000 })).toEqual(['callback-a', 'callback-b']);
  });
});
