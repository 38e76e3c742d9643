import { agentView, claimBarrier, supervisorView, type DeskSnapshot } from '../../../api/desk/desk-views';
import type { Agent, AgentHold, DeskCallback, Page, QueuedCallback } from '../../../store';

const NOW = Date.parse('2026-01-05T10:00:00Z');

function agent(id: string, skills: string[] = ['sales'], languages: string[] = ['en']): Agent {
  return {
    id,
    name: id.toUpperCase(),
    address: `client:${id}`,
    skills,
    languages,
    presence: 'available',
    presenceChangedAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function queued(workflowId: string, extra: Partial<QueuedCallback> = {}): QueuedCallback {
  return {
    workflowId,
    skill: 'sales',
    priority: 0,
    requestedAtMs: NOW - 60_000,
    declinedAgentIds: [],
    ...extra,
  };
}

function row(workflowId: string, extra: Partial<DeskCallback> = {}): DeskCallback {
  return {
    workflowId,
    state: 'waiting-for-agent',
    priority: 0,
    requestedAtMs: NOW - 60_000,
    origin: 'abandon',
    queue: 'sales',
    skill: 'sales',
    waitedSeconds: 60,
    abandonCount: 1,
    customerName: `Customer ${workflowId}`,
    attempts: [],
    version: 1,
    legacy: false,
    updatedAt: NOW,
    ...extra,
  };
}

function snapshot(holds: AgentHold[], agents: Agent[], held: DeskCallback[]): DeskSnapshot {
  return {
    at: NOW,
    holds,
    agents,
    held: new Map(held.map((entry) => [entry.workflowId, entry])),
    stamp: '',
    counts: null,
    countsAt: NOW,
  };
}

function page<T>(items: T[], total = items.length): Page<T> {
  return { offset: 0, limit: 50, total, items };
}

describe('claimBarrier', () => {
  const ana = agent('ana', ['sales'], ['es-ES']);
  it('lets an agent claim what nobody else holds, in their skill and language (primary subtag)', () => {
    expect(claimBarrier(queued('callback-a', { language: 'es-MX' }), undefined, ana, NOW)).toBeUndefined();
  });
  it('names why not: held, claimed, reserved, skill, language', () => {
    const hold: AgentHold = {
      agentId: 'ben',
      workflowId: 'callback-a',
      kind: 'call',
      since: NOW,
      expiresAt: null,
    };
    expect(claimBarrier({ ...queued('callback-a'), hold }, undefined, ana, NOW)).toMatch(
      /reserved for another agent/,
    );
    expect(claimBarrier(queued('callback-a'), 'ben', ana, NOW)).toMatch(/already claimed/);
    expect(
      claimBarrier(
        queued('callback-a', { preferredAgentId: 'ben', preferredOnlyUntilMs: NOW + 1 }),
        undefined,
        ana,
        NOW,
      ),
    ).toMatch(/for now/);
    expect(claimBarrier(queued('callback-a', { skill: 'billing' }), undefined, ana, NOW)).toMatch(
      /skill billing/,
    );
    expect(claimBarrier(queued('callback-a', { language: 'fr' }), undefined, ana, NOW)).toMatch(
      /language fr/,
    );
    expect(claimBarrier(undefined, undefined, ana, NOW)).toMatch(/not waiting/);
  });
});

describe('agentView', () => {
  const offerToBen: AgentHold = {
    agentId: 'ben',
    workflowId: 'callback-b',
    kind: 'offer',
    since: NOW,
    expiresAt: NOW + 20_000,
  };
  const callOfCat: AgentHold = {
    agentId: 'cat',
    workflowId: 'callback-c',
    kind: 'call',
    since: NOW,
    expiresAt: null,
  };

  it('gives the offered agent their offer with its context, out of their queue page', () => {
    const ben = agentView(
      snapshot([offerToBen], [agent('ben')], [row('callback-b')]),
      'ben',
      NOW,
      page([{ entry: queued('callback-b'), card: row('callback-b') }]),
    );
    expect(ben.offer).toMatchObject({
      workflowId: 'callback-b',
      expiresAt: NOW + 20_000,
      card: { customerName: 'Customer callback-b' },
    });
    expect(ben.queue).toEqual([]);
  });

  it('shows the claimed call in the state its run last wrote, dialling until the run says more', () => {
    const on = agentView(
      snapshot([callOfCat], [agent('cat')], [row('callback-c', { state: 'on-call' })]),
      'cat',
      NOW,
      page([]),
    );
    expect(on.current).toMatchObject({ workflowId: 'callback-c', state: 'on-call' });
    const before = agentView(
      snapshot([callOfCat], [agent('cat')], [row('callback-c')]),
      'cat',
      NOW,
      page([]),
    );
    expect(before.current).toMatchObject({ state: 'dialling' });
  });

  it('carries the page and the total, and shows a queued callback without a desk row from its queue entry', () => {
    const view = agentView(snapshot([], [agent('ana')], []), 'ana', NOW, {
      offset: 200,
      limit: 50,
      total: 250,
      items: [{ entry: queued('callback-legacy', { priority: 7 }) }],
    });
    expect(view.queuePage).toEqual({ offset: 200, limit: 50, total: 250 });
    expect(view.queue).toEqual([
      expect.objectContaining({
        workflowId: 'callback-legacy',
        state: 'waiting-for-agent',
        priority: 7,
        skill: 'sales',
      }),
    ]);
  });

  it('shows nothing to a token whose agent was removed', () => {
    expect(agentView(snapshot([], [], []), 'ghost', NOW, undefined)).toMatchObject({ me: null, queue: [] });
  });
});

describe('supervisorView', () => {
  it('shows a page of the store’s rows with their holders, and the page with its total', () => {
    const hold: AgentHold = {
      agentId: 'ben',
      workflowId: 'callback-b',
      kind: 'offer',
      since: NOW,
      expiresAt: NOW + 5_000,
    };
    const view = supervisorView(
      snapshot([hold], [agent('ben')], []),
      page(
        [
          { card: row('callback-b', { state: 'offered', priority: 30 }), hold },
          { card: row('callback-z', { state: 'scheduled', dueAtMs: NOW + 60_000 }) },
        ],
        120,
      ),
    );
    expect(view.page).toEqual({ offset: 0, limit: 50, total: 120 });
    expect(view.callbacks).toEqual([
      expect.objectContaining({
        workflowId: 'callback-b',
        state: 'offered',
        priority: 30,
        holder: { agentId: 'ben', kind: 'offer', expiresAt: NOW + 5_000 },
      }),
      expect.objectContaining({
        workflowId: 'callback-z',
        state: 'scheduled',
        dueAt: new Date(NOW + 60_000).toISOString(),
      }),
    ]);
    expect(view.agents[0]?.hold).toEqual({ workflowId: 'callback-b', kind: 'offer' });
  });
});
