import { speaksLanguage } from '../../domain/callbacks/assign-offers';
import type {
  Agent,
  AgentHold,
  ClaimableCallback,
  DeskCallback,
  DeskCallbackInput,
  Page,
  QueuedCallback,
  SupervisedCallback,
} from '../../store';
import type { CallbackStatus } from '../../workflows/callback-messages';

/** Callbacks closed or started today (UTC), from the visibility store. */
export interface TodayCounts {
  /** Callback runs started today. */
  requested: number;
  /** Closed today with the customer reached (outcome `connected`). */
  completed: number;
  /** Closed today with outcome `expired`. */
  expired: number;
  /** Mean seconds from the customer's request to the close of the completed ones; null when none. */
  averageSecondsToCallback: number | null;
}

/** What the server's one poller last read: what every page shares. Each page's list is its own read. */
export interface DeskSnapshot {
  /** Epoch ms of the store read (holds, agents, held callbacks). */
  at: number;
  holds: AgentHold[];
  agents: Agent[];
  /** The desk rows of the callbacks agents hold (offers and calls). */
  held: ReadonlyMap<string, DeskCallback>;
  /** Changes whenever the store's queue, desk rows, holds or agents change: pages are read again only then. */
  stamp: string;
  counts: TodayCounts | null;
  countsAt: number;
}

/** Where a page of a list starts and how long it is, with the length of the whole list. */
export interface PageInfo {
  offset: number;
  limit: number;
  total: number;
}

/** A callback as a card on the desk: the customer's context, never their number. */
export interface CallbackCard {
  workflowId: string;
  state: string;
  priority: number;
  requestedAt: string;
  dueAt?: string;
  customerName?: string;
  reason?: string;
  queue: string;
  skill: string;
  waitedSeconds: number;
  abandonCount: number;
  tier?: string;
  language?: string;
  timeZone?: string;
  surveyScore?: unknown;
  origin: string;
  attempts: { attempt: number; at: string; outcome: string }[];
}

/** A card from the desk's read model (the store). */
export function cardOf(row: DeskCallback): CallbackCard {
  return {
    workflowId: row.workflowId,
    state: row.state,
    priority: row.priority,
    requestedAt: new Date(row.requestedAtMs).toISOString(),
    ...(row.dueAtMs !== undefined ? { dueAt: new Date(row.dueAtMs).toISOString() } : {}),
    ...(row.customerName !== undefined ? { customerName: row.customerName } : {}),
    ...(row.reason !== undefined ? { reason: row.reason } : {}),
    queue: row.queue,
    skill: row.skill,
    waitedSeconds: row.waitedSeconds,
    abandonCount: row.abandonCount,
    ...(row.tier !== undefined ? { tier: row.tier } : {}),
    ...(row.language !== undefined ? { language: row.language } : {}),
    ...(row.timeZone !== undefined ? { timeZone: row.timeZone } : {}),
    ...(row.surveyScore !== undefined ? { surveyScore: row.surveyScore } : {}),
    origin: row.origin,
    attempts: row.attempts,
  };
}

/**
 * The card of a queued callback whose run has not written its desk row (a run started before the
 * read model, until the desk's backfill reads it): what the queue knows, so it can still be claimed.
 */
export function cardOfEntry(entry: QueuedCallback): CallbackCard {
  return {
    workflowId: entry.workflowId,
    state: 'waiting-for-agent',
    priority: entry.priority,
    requestedAt: new Date(entry.requestedAtMs).toISOString(),
    queue: entry.skill,
    skill: entry.skill,
    waitedSeconds: 0,
    abandonCount: 1,
    ...(entry.language !== undefined ? { language: entry.language } : {}),
    origin: 'unknown',
    attempts: [],
  };
}

/** A card from a run's own status query (one callback's detail; the desk's legacy backfill). */
export function cardOfStatus(status: CallbackStatus): CallbackCard {
  const { context } = status;
  return {
    workflowId: status.workflowId,
    state: status.state,
    priority: status.priority,
    requestedAt: status.requestedAt,
    ...(status.dueAt !== undefined ? { dueAt: status.dueAt } : {}),
    ...(context.customerName !== undefined ? { customerName: context.customerName } : {}),
    ...(context.reason !== undefined ? { reason: context.reason } : {}),
    queue: context.queue,
    skill: context.skill,
    waitedSeconds: context.waitedSeconds,
    abandonCount: context.abandonCount,
    ...(context.tier !== undefined ? { tier: context.tier } : {}),
    ...(context.language !== undefined ? { language: context.language } : {}),
    ...(context.timeZone !== undefined ? { timeZone: context.timeZone } : {}),
    ...(context.surveyScore !== undefined ? { surveyScore: context.surveyScore } : {}),
    origin: context.origin,
    attempts: status.attempts.map(({ attempt, at, outcome }) => ({ attempt, at, outcome })),
  };
}

/** The desk row the legacy backfill writes for a run that predates the read model. */
export function deskRowOfStatus(status: CallbackStatus): Omit<DeskCallbackInput, 'workflowId' | 'version'> {
  const card = cardOfStatus(status);
  return {
    state: card.state,
    priority: card.priority,
    requestedAtMs: Date.parse(card.requestedAt),
    ...(card.dueAt !== undefined ? { dueAtMs: Date.parse(card.dueAt) } : {}),
    ...(status.expiresAt !== undefined ? { expiresAtMs: Date.parse(status.expiresAt) } : {}),
    origin: card.origin,
    queue: card.queue,
    skill: card.skill,
    ...(card.language !== undefined ? { language: card.language } : {}),
    ...(card.customerName !== undefined ? { customerName: card.customerName } : {}),
    ...(card.reason !== undefined ? { reason: card.reason } : {}),
    waitedSeconds: card.waitedSeconds,
    abandonCount: card.abandonCount,
    ...(card.tier !== undefined ? { tier: card.tier } : {}),
    ...(card.timeZone !== undefined ? { timeZone: card.timeZone } : {}),
    ...(card.surveyScore !== undefined ? { surveyScore: card.surveyScore } : {}),
    attempts: card.attempts,
    ...(status.agent !== undefined ? { agentId: status.agent.agentId } : {}),
  };
}

export interface AgentView {
  role: 'agent';
  at: number;
  me: { id: string; name: string; presence: string; skills: string[]; languages: string[] } | null;
  /** The callback offered to this agent, until `expiresAt`. */
  offer: { workflowId: string; expiresAt: number; card: CallbackCard | null } | null;
  /** The callback this agent claimed: being dialled, on the call, or waiting for the disposition. */
  current: { workflowId: string; state: string; card: CallbackCard | null } | null;
  /** One page of the due callbacks this agent may claim, in service order. */
  queue: CallbackCard[];
  /** Which page `queue` is, and how many callbacks this agent may claim in all. */
  queuePage: PageInfo;
}

/** Why an agent may not claim a callback, or undefined when they may. */
export function claimBarrier(
  entry: (QueuedCallback & { hold?: AgentHold }) | undefined,
  claimedBy: string | undefined,
  agent: Agent,
  now: number,
): string | undefined {
  if (entry === undefined) return 'this callback is not waiting for an agent';
  const hold = entry.hold;
  if (hold !== undefined && hold.agentId !== agent.id) {
    const live = hold.kind === 'call' || (hold.expiresAt ?? 0) > now;
    if (live) return 'this callback is reserved for another agent';
  }
  if (claimedBy !== undefined && claimedBy !== agent.id) return 'another agent already claimed this callback';
  if (
    entry.preferredAgentId !== undefined &&
    entry.preferredAgentId !== agent.id &&
    (entry.preferredOnlyUntilMs ?? 0) > now
  ) {
    return 'this callback is reserved for another agent for now';
  }
  if (!agent.skills.includes(entry.skill)) return `this callback needs the skill ${entry.skill}`;
  if (!speaksLanguage(agent.languages, entry.language)) {
    return `this callback needs the language ${entry.language ?? ''}`;
  }
  return undefined;
}

/** A claimed callback whose run has not yet said it dials: the store's call hold already does. */
const BEFORE_DIALLING = new Set(['waiting-for-agent', 'offered', 'scheduled']);

/**
 * One agent's desk: their offer, their call and one page of what they may claim (read by the store
 * with the same rules as `claimBarrier`: nothing reserved for, offered to or claimed by others).
 */
export function agentView(
  snapshot: DeskSnapshot,
  agentId: string,
  now: number,
  claimable: Page<ClaimableCallback> | undefined,
): AgentView {
  const agent = snapshot.agents.find((candidate) => candidate.id === agentId);
  const emptyPage = { offset: claimable?.offset ?? 0, limit: claimable?.limit ?? 0, total: 0 };
  if (agent === undefined) {
    return {
      role: 'agent',
      at: snapshot.at,
      me: null,
      offer: null,
      current: null,
      queue: [],
      queuePage: emptyPage,
    };
  }
  const held = (workflowId: string) => {
    const row = snapshot.held.get(workflowId);
    return row === undefined ? null : cardOf(row);
  };
  const hold = snapshot.holds.find((candidate) => candidate.agentId === agent.id);
  const offer =
    hold?.kind === 'offer' && (hold.expiresAt ?? 0) > now
      ? { workflowId: hold.workflowId, expiresAt: hold.expiresAt ?? now, card: held(hold.workflowId) }
      : null;
  const heldState = hold === undefined ? undefined : snapshot.held.get(hold.workflowId)?.state;
  const current =
    hold?.kind === 'call'
      ? {
          workflowId: hold.workflowId,
          state: heldState === undefined || BEFORE_DIALLING.has(heldState) ? 'dialling' : heldState,
          card: held(hold.workflowId),
        }
      : null;
  const queue = (claimable?.items ?? [])
    .filter((item) => item.entry.workflowId !== offer?.workflowId)
    .map((item) => (item.card !== undefined ? cardOf(item.card) : cardOfEntry(item.entry)));
  return {
    role: 'agent',
    at: snapshot.at,
    me: {
      id: agent.id,
      name: agent.name,
      presence: agent.presence,
      skills: [...agent.skills],
      languages: [...agent.languages],
    },
    offer,
    current,
    queue,
    queuePage:
      claimable === undefined
        ? emptyPage
        : { offset: claimable.offset, limit: claimable.limit, total: claimable.total },
  };
}

/** A row of the supervisor's list. */
export interface SupervisorCallback {
  workflowId: string;
  state: string;
  queue: string;
  skill: string;
  priority: number;
  requestedAt: string;
  dueAt?: string;
  customerName?: string;
  /** The agent who claimed it. */
  agentId?: string;
  attempts: number;
  /** The agent holding it in the store (offer or call). */
  holder?: { agentId: string; kind: string; expiresAt: number | null };
}

export interface SupervisorView {
  role: 'supervisor';
  at: number;
  countsAt: number;
  /** One page of the open callbacks (filtered), in service order. */
  callbacks: SupervisorCallback[];
  page: PageInfo;
  agents: {
    id: string;
    name: string;
    presence: string;
    presenceChangedAt: number;
    /** Why the system took the agent out of rotation (their phone failed). */
    presenceNote?: string;
    skills: string[];
    hold: { workflowId: string; kind: string } | null;
  }[];
  counts: TodayCounts | null;
}

/** One page of the open callbacks with their holders (the store), agents and today's counts. */
export function supervisorView(snapshot: DeskSnapshot, page: Page<SupervisedCallback>): SupervisorView {
  const callbacks = page.items.map(({ card, hold }): SupervisorCallback => {
    const offered = hold?.kind === 'offer' && card.state === 'waiting-for-agent';
    return {
      workflowId: card.workflowId,
      state: offered ? 'offered' : card.state,
      queue: card.queue,
      skill: card.skill,
      priority: card.priority,
      requestedAt: new Date(card.requestedAtMs).toISOString(),
      ...(card.dueAtMs !== undefined ? { dueAt: new Date(card.dueAtMs).toISOString() } : {}),
      ...(card.customerName !== undefined ? { customerName: card.customerName } : {}),
      ...(card.agentId !== undefined ? { agentId: card.agentId } : {}),
      attempts: card.attempts.length,
      ...(hold !== undefined
        ? { holder: { agentId: hold.agentId, kind: hold.kind, expiresAt: hold.expiresAt } }
        : {}),
    };
  });
  return {
    role: 'supervisor',
    at: snapshot.at,
    countsAt: snapshot.countsAt,
    callbacks,
    page: { offset: page.offset, limit: page.limit, total: page.total },
    agents: snapshot.agents.map((agent) => {
      const hold = snapshot.holds.find((candidate) => candidate.agentId === agent.id);
      return {
        id: agent.id,
        name: agent.name,
        presence: agent.presence,
        presenceChangedAt: agent.presenceChangedAt,
        ...(agent.presenceNote !== undefined ? { presenceNote: agent.presenceNote } : {}),
        skills: [...agent.skills],
        hold: hold === undefined ? null : { workflowId: hold.workflowId, kind: hold.kind },
      };
    }),
    counts: snapshot.counts,
  };
}
