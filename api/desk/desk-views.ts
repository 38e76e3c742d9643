import type { CallbackListItem } from '../../client/callbacks';
import type { Agent, AgentHold, QueuedCallback } from '../../store';
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

/** What the server's one poller last read; every page's view is cut from it. */
export interface DeskSnapshot {
  /** Epoch ms of the store read (queue, holds, agents, statuses). */
  at: number;
  queue: (QueuedCallback & { hold?: AgentHold })[];
  holds: AgentHold[];
  agents: Agent[];
  /** Status of every queued or held callback (queried once per tick for all pages). */
  statuses: ReadonlyMap<string, CallbackStatus>;
  /** Open callbacks from visibility, and when they were read. */
  open: CallbackListItem[];
  openAt: number;
  counts: TodayCounts | null;
  countsAt: number;
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

export function cardOf(status: CallbackStatus): CallbackCard {
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

export interface AgentView {
  role: 'agent';
  at: number;
  me: { id: string; name: string; presence: string; skills: string[]; languages: string[] } | null;
  /** The callback offered to this agent, until `expiresAt`. */
  offer: { workflowId: string; expiresAt: number; card: CallbackCard | null } | null;
  /** The callback this agent claimed: being dialled, on the call, or waiting for the disposition. */
  current: { workflowId: string; state: string; card: CallbackCard | null } | null;
  /** Due callbacks this agent may claim, in service order. */
  queue: CallbackCard[];
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
  if (entry.language !== undefined && !agent.languages.includes(entry.language)) {
    return `this callback needs the language ${entry.language}`;
  }
  return undefined;
}

/** One agent's desk: their offer, their call and what they may claim; nothing reserved for others. */
export function agentView(snapshot: DeskSnapshot, agentId: string, now: number): AgentView {
  const agent = snapshot.agents.find((candidate) => candidate.id === agentId);
  const empty: AgentView = {
    role: 'agent',
    at: snapshot.at,
    me: null,
    offer: null,
    current: null,
    queue: [],
  };
  if (agent === undefined) return empty;
  const card = (workflowId: string) => {
    const status = snapshot.statuses.get(workflowId);
    return status === undefined ? null : cardOf(status);
  };
  const hold = snapshot.holds.find((candidate) => candidate.agentId === agent.id);
  const offer =
    hold?.kind === 'offer' && (hold.expiresAt ?? 0) > now
      ? { workflowId: hold.workflowId, expiresAt: hold.expiresAt ?? now, card: card(hold.workflowId) }
      : null;
  const current =
    hold?.kind === 'call'
      ? {
          workflowId: hold.workflowId,
          state: snapshot.statuses.get(hold.workflowId)?.state ?? 'dialling',
          card: card(hold.workflowId),
        }
      : null;
  const queue = snapshot.queue
    .filter((entry) => entry.workflowId !== offer?.workflowId)
    .filter(
      (entry) =>
        claimBarrier(entry, snapshot.statuses.get(entry.workflowId)?.agent?.agentId, agent, now) ===
        undefined,
    )
    .flatMap((entry) => {
      const found = card(entry.workflowId);
      return found === null ? [] : [found];
    });
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
  };
}

export interface SupervisorCallback extends CallbackListItem {
  /** The agent holding it in the store (offer or call), fresher than visibility's AgentId. */
  holder?: { agentId: string; kind: string; expiresAt: number | null };
  /** The store's queue position (0 = next), when it waits for an agent. */
  queuePosition?: number;
}

export interface SupervisorView {
  role: 'supervisor';
  at: number;
  openAt: number;
  countsAt: number;
  callbacks: SupervisorCallback[];
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

/** Every open callback (visibility) with the store's fresher queue and holds, agents, today's counts. */
export function supervisorView(snapshot: DeskSnapshot): SupervisorView {
  const holdOf = new Map(snapshot.holds.map((hold) => [hold.workflowId, hold]));
  const position = new Map(snapshot.queue.map((entry, index) => [entry.workflowId, index]));
  const callbacks = snapshot.open.map((item): SupervisorCallback => {
    const hold = holdOf.get(item.workflowId);
    const at = position.get(item.workflowId);
    return {
      ...item,
      ...(hold !== undefined
        ? { holder: { agentId: hold.agentId, kind: hold.kind, expiresAt: hold.expiresAt } }
        : {}),
      ...(at !== undefined ? { queuePosition: at } : {}),
    };
  });
  return {
    role: 'supervisor',
    at: snapshot.at,
    openAt: snapshot.openAt,
    countsAt: snapshot.countsAt,
    callbacks,
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
