import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DomainMetrics } from '../metrics/domain-metrics';
import type { ContactStore, MadeOffer } from '../store';
import {
  callbackDispatcherId,
  callbackOfferedSignal,
  DISPATCHER_TASK_TIMEOUT,
  dispatchNeededSignal,
} from '../workflows/callback-messages';

/**
 * The Temporal side of the callback queue, shared by the dispatcher's activities, the API and the
 * tests: asking the task queue's dispatcher for a pass, making one, and freeing the agents of runs
 * that ended without running any code. A service module: activities and the API both use it, so
 * neither reaches into the other.
 */

/**
 * One dispatch pass: offers waiting callbacks to free agents and tells each callback it was
 * offered. A callback whose run is gone is taken out of the queue.
 */
export async function dispatchAndNotify(
  store: ContactStore,
  temporal: Client,
  settings: { offerMs: number },
  metrics?: DomainMetrics,
  now: () => number = Date.now,
): Promise<MadeOffer[]> {
  await reapNowAndThen(store, temporal);
  const offers = await store.dispatchCallbacks({ offerMs: settings.offerMs });
  const offeredAt = now();
  for (const offer of offers) {
    metrics?.offers.inc();
    metrics?.offerLatency.observe(Math.max(0, offeredAt - offer.queuedAt) / 1_000);
    try {
      await temporal.workflow
        .getHandle(offer.workflowId)
        .signal(callbackOfferedSignal, { agentId: offer.agentId, offerMs: settings.offerMs });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      await store.leaveCallbackQueue(offer.workflowId);
      await store.removeDeskCallback(offer.workflowId);
    }
  }
  return offers;
}

/**
 * Tells the task queue's one dispatcher that something changed (starting it if it is not running).
 * Used wherever the queue, an agent's presence or a hold changes: a waiting callback is offered
 * within a second of the change, while a burst of changes costs one dispatch pass.
 */
export async function requestDispatch(temporal: Client, taskQueue: string): Promise<void> {
  await temporal.workflow.signalWithStart('callbackDispatcher', {
    workflowId: callbackDispatcherId(taskQueue),
    taskQueue,
    workflowTaskTimeout: DISPATCHER_TASK_TIMEOUT,
    args: [{}],
    signal: dispatchNeededSignal,
    signalArgs: [],
  });
}

/** Holds younger than this are left alone: their run may not have written its first event yet. */
const REAP_MIN_AGE_MS = 60_000;
/** The dispatcher looks for holds of closed runs at most this often per store. */
const REAP_EVERY_MS = 30_000;
const lastReap = new WeakMap<ContactStore, number>();

/**
 * Frees every agent held (offered or on a call) by a callback run that is closed. A run releases
 * its holds itself however it ends — completed, failed, cancelled — but a run terminated from the
 * Temporal UI or CLI runs no code at all: this is what frees its agent. Returns the freed runs' ids.
 */
export async function releaseHoldsOfClosedRuns(
  store: ContactStore,
  temporal: Client,
  now: number = Date.now(),
): Promise<string[]> {
  const released: string[] = [];
  for (const hold of await store.listAgentHolds()) {
    if (now - hold.since < REAP_MIN_AGE_MS) continue;
    try {
      const { status } = await temporal.workflow.getHandle(hold.workflowId).describe();
      if (status.name === 'RUNNING') continue;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    await store.leaveCallbackQueue(hold.workflowId);
    // Its desk row too: a terminated run never wrote `done`.
    await store.removeDeskCallback(hold.workflowId);
    released.push(hold.workflowId);
  }
  return released;
}

async function reapNowAndThen(store: ContactStore, temporal: Client): Promise<void> {
  const now = Date.now();
  if (now - (lastReap.get(store) ?? 0) < REAP_EVERY_MS) return;
  lastReap.set(store, now);
  await releaseHoldsOfClosedRuns(store, temporal, now);
}
