/** A due callback waiting for an agent, as the dispatcher sees it. */
export interface WaitingCallback {
  readonly workflowId: string;
  readonly skill: string;
  /** The customer's language (BCP 47); undefined means any agent will do. */
  readonly language?: string;
  /** Higher first. */
  readonly priority: number;
  /** The original abandon (or request) time: among equal priorities, who asked first is served first. */
  readonly requestedAtMs: number;
  /** The agent who handled this customer before. */
  readonly preferredAgentId?: string;
  /** Until then only the preferred agent is offered the callback; afterwards anyone, the preferred first. */
  readonly preferredOnlyUntilMs?: number;
  /** Agents who rejected or let an offer of this callback time out: not asked again. */
  readonly declinedAgentIds: readonly string[];
}

/** An available agent with no offer and no call in hand. */
export interface FreeAgent {
  readonly id: string;
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  /** When the agent became available: who waited longest is offered first. */
  readonly presenceChangedAt: number;
}

export interface Offer {
  readonly workflowId: string;
  readonly agentId: string;
}

function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? '';
}

/**
 * Whether an agent can talk with a customer in `language`. Tags match on their primary language
 * (`es-ES` serves `es-MX` and `es`): a regional variant is not a barrier on the phone; a deployment
 * that needs regional teams says so with skills.
 */
export function speaksLanguage(agentLanguages: readonly string[], language: string | undefined): boolean {
  if (language === undefined) return true;
  const wanted = primaryLanguage(language);
  return agentLanguages.some((tag) => primaryLanguage(tag) === wanted);
}

/** Whether the agent may take the callback at all (skill, language, not declined). */
export function isEligible(
  agent: Pick<FreeAgent, 'id' | 'skills' | 'languages'>,
  callback: Pick<WaitingCallback, 'skill' | 'language' | 'declinedAgentIds'>,
): boolean {
  return (
    agent.skills.includes(callback.skill) &&
    speaksLanguage(agent.languages, callback.language) &&
    !callback.declinedAgentIds.includes(agent.id)
  );
}

/** Service order: priority (higher first), then the original request time, then the id for a stable order. */
export function compareWaiting(a: WaitingCallback, b: WaitingCallback): number {
  return (
    b.priority - a.priority ||
    a.requestedAtMs - b.requestedAtMs ||
    (a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0)
  );
}

/**
 * Matches waiting callbacks with free agents, one offer per agent and per callback. Callbacks are
 * served in {@link compareWaiting} order; each goes to its preferred agent when that agent is
 * free and eligible, else (once the preferred-only time is over) to the eligible agent who has
 * been available longest. A callback nobody free can take is skipped, so it never blocks the
 * ones behind it. Pure and deterministic.
 */
export function assignOffers(
  waiting: readonly WaitingCallback[],
  agents: readonly FreeAgent[],
  nowMs: number,
): Offer[] {
  const free = [...agents].sort(
    (a, b) => a.presenceChangedAt - b.presenceChangedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const offers: Offer[] = [];
  for (const callback of [...waiting].sort(compareWaiting)) {
    const eligible = free.filter((agent) => isEligible(agent, callback));
    const preferred = eligible.find((agent) => agent.id === callback.preferredAgentId);
    const preferredOnly =
      callback.preferredAgentId !== undefined &&
      callback.preferredOnlyUntilMs !== undefined &&
      nowMs < callback.preferredOnlyUntilMs;
    const chosen = preferred ?? (preferredOnly ? undefined : eligible[0]);
    if (chosen === undefined) continue;
    offers.push({ workflowId: callback.workflowId, agentId: chosen.id });
    free.splice(free.indexOf(chosen), 1);
  }
  return offers;
}
