import { agentView, supervisorView, type DeskSnapshot } from '../../../api/desk/desk-views';
import type { Agent, AgentHold, QueuedCallback } from '../../../store';
import type { CallbackStatus } from '../../../workflows/callback-messages';

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

function status(workflowId: string, extra: Partial<CallbackStatus> = {}): CallbackStatus {
  return {
    workflowId,
    state: 'waiting-for-agent',
    detail: 'due',
    priority: 0,
    requestedAt: new Date(NOW - 60_000).toISOString(),
    attempts: [],
    context: {
      origin: 'abandon',
      queue: 'sales',
      skill: 'sales',
      waitedSeconds: 60,
      abandonCount: 1,
      customerName: `Customer ${workflowId}`,
    },
    timeline: [],
    ...extra,
  };
}

function snapshot(
  queue: (QueuedCallback & { hold?: AgentHold })[],
  holds: AgentHold[],
  agents: Agent[],
  statuses: CallbackStatus[],
): DeskSnapshot {
  return {
    at: NOW,
    queue,
    holds,
    agents,
    statuses: new Map(statuses.map((entry) => [entry.workflowId, entry])),
    open: [],
    openAt: NOW,
    counts: null,
    countsAt: NOW,
  };
}

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
  const view = agentView(
    snapshot(
      [
        queued('callback-a'),
        { ...queued('callback-b'), hold: offerToBen },
        queued('callback-d', { preferredAgentId: 'ben', preferredOnlyUntilMs: NOW + 60_000 }),
        queued('callback-e', { skill: 'billing' }),
        queued('callback-f', { language: 'es' }),
      ],
      [offerToBen, callOfCat],
      [agent('ana'), agent('ben'), agent('cat')],
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => status(`callback-${id}`)),
    ),
    'ana',
    NOW,
  );

  it('shows an agent only what they may claim: not callbacks offered to, held by or reserved for others, nor other skills or languages', () => {
    expect(view.queue.map((card) => card.workflowId)).toEqual(['callback-a']);
    expect(view.offer).toBeNull();
    expect(view.current).toBeNull();
  });

  it('gives the offered agent their offer with its context, out of their queue', () => {
    const ben = agentView(
      snapshot(
        [{ ...queued('callback-b'), hold: offerToBen }],
        [offerToBen],
        [agent('ben')],
        [status('callback-b')],
      ),
      'ben',
      NOW,
    );
    expect(ben.offer).toMatchObject({
      workflowId: 'callback-b',
      expiresAt: NOW + 20_000,
      card: { customerName: 'Customer callback-b' },
    });
    expect(ben.queue).toEqual([]);
  });

  it('lets an expired offer to someone else be claimed again', () => {
    const expired = { ...offerToBen, expiresAt: NOW - 1 };
    const ana = agentView(
      snapshot(
        [{ ...queued('callback-b'), hold: expired }],
        [expired],
        [agent('ana'), agent('ben')],
        [status('callback-b')],
      ),
      'ana',
      NOW,
    );
    expect(ana.queue.map((card) => card.workflowId)).toEqual(['callback-b']);
  });

  it('shows nothing to a token whose agent was removed', () => {
    expect(
      agentView(snapshot([queued('callback-a')], [], [], [status('callback-a')]), 'ghost', NOW),
    ).toMatchObject({ me: null, queue: [] });
  });
});

describe('supervisorView', () => {
  it('adds the store’s holder and queue position to the visibility list', () => {
    const hold: AgentHold = {
      agentId: 'ben',
      workflowId: 'callback-b',
      kind: 'offer',
      since: NOW,
      expiresAt: NOW + 5_000,
    };
    const base = snapshot(
      [queued('callback-a'), { ...queued('callback-b'), hold }],
      [hold],
      [agent('ben')],
      [],
    );
    const view = supervisorView({
      ...base,
      open: [
        { workflowId: 'callback-b', status: 'RUNNING', state: 'offered' },
        { workflowId: 'callback-z', status: 'RUNNING', state: 'scheduled' },
      ],
    });
    expect(view.callbacks).toEqual([
      {
        workflowId: 'callback-b',
        status: 'RUNNING',
        state: 'offered',
        holder: { agentId: 'ben', kind: 'offer', expiresAt: NOW + 5_000 },
        queuePosition: 1,
      },
      { workflowId: 'callback-z', status: 'RUNNING', state: 'scheduled' },
    ]);
    expect(view.agents[0]?.hold).toEqual({ workflowId: 'callback-b', kind: 'offer' });
  });
});
