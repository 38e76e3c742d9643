import type { CallbackRun, OfferAnswer } from './callback-run';

/** The parts of a callback's status the summary reads (workflows/callback-messages.ts `CallbackStatus`). */
export interface CallbackRunFacts {
  workflowId: string;
  runId: string;
  customerKey: string;
  closedAtMs: number;
  outcome: string;
  requestedAt: string;
  agentId?: string;
  /** The tenant the callback was requested for. */
  tenant?: string;
  /** ISO instant the acknowledgement promised the call by (absent: none sent, or an older build). */
  promisedBy?: string;
  decision?: { action: string; reason: string };
  context: { origin: string; queue: string; skill: string; abandonCount: number };
  attempts: readonly { agentId: string; outcome: string }[];
  timeline: readonly { at: string; step: string; agentId?: string }[];
}

const OFFER_ENDS: Readonly<Record<string, OfferAnswer>> = {
  claimed: 'accepted',
  'offer-rejected': 'rejected',
  'offer-timed-out': 'timed-out',
  'offer-withdrawn': 'withdrawn',
};

/**
 * One row for the KPIs from a finished run's status: offers are read off the timeline (each `offered`
 * entry is closed by the next claim, rejection, time-out or withdrawal), the conversation time is the
 * first `connected` entry, the first call the first `dialling` one.
 */
export function summariseCallbackRun(facts: CallbackRunFacts): CallbackRun {
  const offers: { agentId: string; answer: OfferAnswer }[] = [];
  let open: { agentId: string; answer: OfferAnswer } | undefined;
  let conversationAtMs: number | null = null;
  let firstCallAtMs: number | null = null;
  for (const entry of facts.timeline) {
    if (entry.step === 'offered' && entry.agentId !== undefined) {
      open = { agentId: entry.agentId, answer: 'open' };
      offers.push(open);
      continue;
    }
    const ended = OFFER_ENDS[entry.step];
    if (ended !== undefined && open !== undefined) {
      // A claim by another agent than the one offered ends the offer without it being accepted.
      open.answer = ended === 'accepted' && entry.agentId !== open.agentId ? 'withdrawn' : ended;
      open = undefined;
    }
    if (entry.step === 'connected' && conversationAtMs === null) conversationAtMs = Date.parse(entry.at);
    if (entry.step === 'dialling' && firstCallAtMs === null) firstCallAtMs = Date.parse(entry.at);
  }
  const customerAttempts = facts.attempts.filter((attempt) => attempt.outcome !== 'agent-missed');
  return {
    workflowId: facts.workflowId,
    runId: facts.runId,
    customerKey: facts.customerKey,
    origin: facts.context.origin,
    queue: facts.context.queue,
    skill: facts.context.skill,
    abandonCount: Math.max(1, facts.context.abandonCount),
    agentId: facts.agentId ?? null,
    requestedAtMs: Date.parse(facts.requestedAt),
    closedAtMs: facts.closedAtMs,
    decision: facts.decision?.action ?? null,
    decisionReason: facts.decision?.reason ?? null,
    acknowledged: facts.timeline.some((entry) => entry.step === 'acknowledged'),
    outcome: facts.outcome,
    customerAttempts: customerAttempts.length,
    lastAttemptOutcome: customerAttempts.at(-1)?.outcome ?? null,
    conversationAtMs,
    offers,
    tenant: facts.tenant ?? null,
    promisedByMs: facts.promisedBy !== undefined ? Date.parse(facts.promisedBy) : null,
    firstCallAtMs,
  };
}
