import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { dispatchAndNotify, requestDispatch } from '../../services/callback-dispatcher';
import type { ContactStore, HoldResult, QueuedCallbackInput } from '../../store';
import type { DomainMetrics } from '../../metrics/domain-metrics';

export interface DispatchSettings {
  /** How long an offer holds its agent (the preview time-out). */
  offerMs: number;
  /** An agent who spoke with the customer this recently is preferred. */
  ownerWindowMs: number;
  /** How long a due callback waits for that agent alone while they are signed in. */
  ownerWaitMs: number;
}

/** While a callback waits and an agent is free, the dispatcher passes at least this often (a lost signal). */
export const DISPATCH_BACKSTOP_MS = 120_000;
/** While agents are held, the dispatcher passes at least this often (the reaper of terminated runs' holds). */
export const REAPER_BACKSTOP_MS = 600_000;

/** A pass planned by time alone is never sooner than this after the last: no busy loop on a stale instant. */
const DISPATCH_MIN_SLEEP_MS = 1_000;

export interface CallbackDispatchDeps {
  store: ContactStore;
  settings: DispatchSettings;
  /** The Temporal client that signals offers. @default the worker's client (activity context) */
  temporal?: () => Client;
  clock?: () => number;
  /** Counts offers and claims, times offer latency, for `/metrics`; none when unset. */
  metrics?: DomainMetrics;
}

/** What a callback tells the dispatcher when it becomes due (and again when its entry changes). */
export interface QueueForAgentInput extends Omit<QueuedCallbackInput, 'preferredOnlyUntilMs'> {
  customerKey: string;
  /** Set when the callback already knows whom to prefer (the ACD's last agent, a supervisor's reassignment). */
  preferredAgentId?: string;
  /** Only that agent until this instant (a supervisor's reassignment). */
  preferredOnlyUntilMs?: number;
}

/** The callback's side of the agent queue: regular activities (they write to the store and signal). */
export function createCallbackDispatch(deps: CallbackDispatchDeps) {
  const clock = deps.clock ?? Date.now;
  const temporal = deps.temporal ?? (() => Context.current().client);
  const dispatch = () => requestDispatch(temporal(), Context.current().info.taskQueue);

  return {
    /**
     * Puts a due callback in the agent queue (preferring the agent who last spoke with the
     * customer) and runs the dispatcher. Returns the preferred agent, if any.
     */
    async queueForAgent(input: QueueForAgentInput): Promise<{ preferredAgentId?: string }> {
      const now = clock();
      const { customerKey, ...entry } = input;
      let preferredAgentId = entry.preferredAgentId;
      let preferredOnlyUntilMs = entry.preferredOnlyUntilMs;
      if (preferredAgentId === undefined) {
        preferredAgentId = await deps.store.customerOwner(customerKey, now - deps.settings.ownerWindowMs);
      }
      if (preferredAgentId !== undefined && preferredOnlyUntilMs === undefined) {
        // Wait for the agent alone only while they are signed in: an agent who is away or gone
        // home would only delay the customer.
        const owner = await deps.store.getAgent(preferredAgentId);
        const signedIn = owner?.presence === 'available' || owner?.presence === 'busy';
        if (signedIn && deps.settings.ownerWaitMs > 0) preferredOnlyUntilMs = now + deps.settings.ownerWaitMs;
      }
      await deps.store.enqueueCallback(
        {
          ...entry,
          ...(preferredAgentId !== undefined ? { preferredAgentId } : {}),
          ...(preferredOnlyUntilMs !== undefined ? { preferredOnlyUntilMs } : {}),
        },
        now,
      );
      await dispatch();
      return preferredAgentId !== undefined ? { preferredAgentId } : {};
    },

    /**
     * The periodic check of a callback started before the one dispatcher (newer runs do not poll):
     * asks the dispatcher for a pass.
     */
    async dispatchCallbacks(): Promise<void> {
      await dispatch();
    },

    /**
     * One pass of the task queue's dispatcher (`callbackDispatcher`): offers waiting callbacks to
     * free agents and says when the next pass is due by time alone.
     */
    async runDispatchPass(): Promise<{ offers: number; nextPassInMs?: number }> {
      const offers = await dispatchAndNotify(deps.store, temporal(), deps.settings, deps.metrics, clock);
      const now = clock();
      const outlook = await deps.store.dispatchOutlook(now);
      // A delay, not an instant: the store's times are on this clock, the dispatcher sleeps on its own.
      const delays = [
        ...(outlook.nextEventAtMs !== undefined ? [outlook.nextEventAtMs - now] : []),
        // A lost signal matters only while a callback waits and an agent is free to take it.
        ...(outlook.waiting > 0 && outlook.freeAgents > 0 ? [DISPATCH_BACKSTOP_MS] : []),
        // Holds of a run terminated from the UI are freed by the reaper.
        ...(outlook.held > 0 ? [REAPER_BACKSTOP_MS] : []),
      ];
      return delays.length > 0
        ? { offers: offers.length, nextPassInMs: Math.max(DISPATCH_MIN_SLEEP_MS, Math.min(...delays)) }
        : { offers: offers.length };
    },

    /** The offered agent rejected or let the offer time out: the next agent is asked. */
    async declineOffer(input: { workflowId: string; agentId: string }): Promise<void> {
      await deps.store.declineOffer(input.workflowId, input.agentId);
      await dispatch();
    },

    /** An offer arrived when the callback no longer waited for one: the agent is freed at once. */
    async releaseOffer(input: { workflowId: string; agentId: string }): Promise<void> {
      await deps.store.releaseOffer(input.workflowId, input.agentId);
      await dispatch();
    },

    /**
     * The agent's phone failed (an invalid or unreachable number): they are taken out of rotation,
     * with the reason for supervisors, so no other callback is offered to a phone that cannot ring.
     */
    async takeAgentOutOfRotation(input: { agentId: string; reason: string }): Promise<void> {
      await deps.store.takeOutOfRotation(input.agentId, input.reason, clock());
    },

    /** Holds the claiming agent for this callback's call; their dial address comes with it. */
    async holdAgentForCall(input: {
      workflowId: string;
      agentId: string;
    }): Promise<HoldResult & { address?: string; name?: string }> {
      const agent = await deps.store.getAgent(input.agentId);
      if (agent === undefined) return { ok: false, reason: 'agent-busy-elsewhere', heldFor: 'unknown agent' };
      const result = await deps.store.holdAgentForCall(input.workflowId, input.agentId, clock());
      if (result.ok) deps.metrics?.claims.inc();
      return result.ok ? { ...result, address: agent.address, name: agent.name } : result;
    },

    /** The callback no longer needs an agent (done, back to waiting for a window): frees its agent. */
    async leaveAgentQueue(input: { workflowId: string }): Promise<void> {
      await deps.store.leaveCallbackQueue(input.workflowId);
      await dispatch();
    },

    /** The agent spoke with the customer: their next callback prefers this agent. */
    async recordCustomerOwner(input: { customerKey: string; agentId: string }): Promise<void> {
      await deps.store.recordCustomerOwner(input.customerKey, input.agentId, clock());
    },
  };
}

export type CallbackDispatchActivities = ReturnType<typeof createCallbackDispatch>;
