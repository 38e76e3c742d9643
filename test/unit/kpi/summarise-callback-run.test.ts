import { summariseCallbackRun } from '../../../domain/kpi';

const facts = {
  workflowId: 'callback-+33612345678',
  runId: 'run-1',
  customerKey: 'phone:+33612345678',
  closedAtMs: Date.parse('2026-03-02T09:00:00Z'),
  outcome: 'connected',
  requestedAt: '2026-03-02T08:00:00Z',
  agentId: 'a2',
  decision: { action: 'callback', reason: 'default-rule' },
  context: { origin: 'abandon', queue: 'sales', skill: 'sales', abandonCount: 2 },
  attempts: [
    { agentId: 'a3', outcome: 'agent-missed' },
    { agentId: 'a2', outcome: 'no-answer' },
    { agentId: 'a2', outcome: 'connected' },
  ],
  timeline: [
    { at: '2026-03-02T08:00:01Z', step: 'decided' },
    { at: '2026-03-02T08:00:02Z', step: 'acknowledged' },
    { at: '2026-03-02T08:01:00Z', step: 'offered', agentId: 'a1' },
    { at: '2026-03-02T08:01:30Z', step: 'offer-timed-out', agentId: 'a1' },
    { at: '2026-03-02T08:02:00Z', step: 'offered', agentId: 'a3' },
    { at: '2026-03-02T08:02:10Z', step: 'claimed', agentId: 'a3' },
    { at: '2026-03-02T08:03:00Z', step: 'offered', agentId: 'a1' },
    { at: '2026-03-02T08:03:05Z', step: 'claimed', agentId: 'a2' },
    { at: '2026-03-02T08:03:10Z', step: 'dialling', agentId: 'a2' },
    { at: '2026-03-02T08:10:00Z', step: 'dialling', agentId: 'a2' },
    { at: '2026-03-02T08:20:00Z', step: 'connected', agentId: 'a2' },
    { at: '2026-03-02T08:40:00Z', step: 'connected', agentId: 'a2' },
  ],
};

describe('a finished callback run summarised for the KPIs', () => {
  it('reads offers, their answers and the first conversation off the timeline', () => {
    expect(summariseCallbackRun(facts)).toEqual({
      workflowId: 'callback-+33612345678',
      runId: 'run-1',
      customerKey: 'phone:+33612345678',
      origin: 'abandon',
      queue: 'sales',
      skill: 'sales',
      abandonCount: 2,
      agentId: 'a2',
      requestedAtMs: Date.parse('2026-03-02T08:00:00Z'),
      closedAtMs: Date.parse('2026-03-02T09:00:00Z'),
      decision: 'callback',
      decisionReason: 'default-rule',
      acknowledged: true,
      outcome: 'connected',
      customerAttempts: 2,
      lastAttemptOutcome: 'connected',
      conversationAtMs: Date.parse('2026-03-02T08:20:00Z'),
      offers: [
        { agentId: 'a1', answer: 'timed-out' },
        { agentId: 'a3', answer: 'accepted' },
        // Another agent claimed it while it was offered to a1.
        { agentId: 'a1', answer: 'withdrawn' },
      ],
      tenant: null,
      promisedByMs: null,
      firstCallAtMs: Date.parse('2026-03-02T08:03:10Z'),
    });
  });

  it('keeps the tenant and the promised time, and takes the first call off the timeline', () => {
    const run = summariseCallbackRun({ ...facts, tenant: 'acme', promisedBy: '2026-03-02T08:20:00Z' });
    expect(run).toMatchObject({
      tenant: 'acme',
      promisedByMs: Date.parse('2026-03-02T08:20:00Z'),
      firstCallAtMs: Date.parse('2026-03-02T08:03:10Z'),
    });
  });

  it('has no decision, offers or conversation for a run stopped before deciding', () => {
    const stopped = summariseCallbackRun({
      ...facts,
      outcome: 'cancelled',
      decision: undefined,
      attempts: [],
      timeline: [],
    });
    expect(stopped).toMatchObject({
      decision: null,
      acknowledged: false,
      offers: [],
      conversationAtMs: null,
      customerAttempts: 0,
      lastAttemptOutcome: null,
    });
  });
});
