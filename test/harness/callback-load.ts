import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { requestDispatch } from '../../services/callback-dispatcher';
import { RecontactClient } from '../../client/recontact-client';
import type { TwilioSandbox } from '../../sandbox';
import type { ContactStore } from '../../store/contact-store';
import { type DrainResult, waitForDrain } from './drain';

export interface CallbackLoadOptions {
  client: Client;
  taskQueue: string;
  customerKeySecret: string;
  /** The contact store the workers use (agents, holds). */
  store: ContactStore;
  sandbox: TwilioSandbox;
  callbacks: number;
  agents: number;
}

export interface CallbackLoadResult {
  callbacks: number;
  /** Runs closed when the load ended (not running). */
  closed: number;
  /** Customers whose phone rang with an agent on the line and who answered. */
  reached: number;
  /** Provider resources sent twice under one attempt key (SMS and calls). */
  duplicates: number;
  /** Agent holds (offers, calls) still held by a closed run of this load. */
  holdsLeft: number;
  outcomes: Record<string, number>;
  /** How the wait for every run to close went (test/harness/drain.ts). */
  drain: DrainResult;
}

const customerPhone = (index: number) => `+1415557${String(index).padStart(4, '0')}`;
const agentPhone = (index: number) => `+1415558${String(index).padStart(4, '0')}`;
const SKILL = 'sales';

/**
 * How long the agents' bot waits for one update before it moves on. An update waits until the run
 * takes it: a run whose workflow task keeps failing never does, and one such run must not stop every
 * agent from answering the others (the soak of 30 Nov 2026 did, until this limit).
 */
const UPDATE_WAIT_MS = 10_000;

/** Waits for `work` at most `ms`; its failure or its lateness is the caller's to ignore (the bot retries). */
async function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Abandoned calls spread over a window while agents (a bot on the store and the typed client)
 * accept every offer and record a disposition once the call is on. Judged from the outside: the
 * sandbox's outbox (who was reached, what was sent twice), the store (holds left) and Temporal's
 * own record of each run (closed or not, outcome).
 */
export async function runCallbackLoad(
  options: CallbackLoadOptions,
  window: {
    firstAt: number;
    spreadMs: number;
    /** Once every caller has abandoned: the wait for the runs to close (see waitForDrain). */
    drain: { minMs: number; maxMs: number; log?: (line: string) => void };
  },
): Promise<CallbackLoadResult> {
  const recontact = new RecontactClient(options.client, options.taskQueue, {
    customerKeySecret: options.customerKeySecret,
  });
  const agents = Array.from({ length: options.agents }, (_, index) => `soak-agent-${index}`);
  for (const [index, id] of agents.entries()) {
    await options.store.upsertAgent({
      id,
      name: id,
      address: agentPhone(index),
      skills: [SKILL],
      languages: ['en'],
      presence: 'available',
      at: Date.now(),
    });
  }
  await requestDispatch(options.client, options.taskQueue);

  const workflowIds: string[] = [];
  let running = true;
  const answered = new Set<string>();
  const onCallSince = new Map<string, number>();
  const bot = (async () => {
    while (running) {
      const holds = await options.store.listAgentHolds().catch(() => []);
      for (const hold of holds) {
        const key = `${hold.workflowId} ${hold.agentId} ${hold.since}`;
        if (hold.kind === 'offer' && !answered.has(key)) {
          answered.add(key);
          await atMost(
            UPDATE_WAIT_MS,
            recontact.callbacks.answerOffer(
              { workflowId: hold.workflowId },
              { agentId: hold.agentId, answer: 'accept' },
            ),
          );
        }
        if (hold.kind === 'call') {
          const since = onCallSince.get(key) ?? Date.now();
          onCallSince.set(key, since);
          // A short conversation, then the agent records how it went (refused until the call is on).
          if (Date.now() - since > 2_000)
            await atMost(
              UPDATE_WAIT_MS,
              recontact.callbacks.recordDisposition(
                { workflowId: hold.workflowId },
                { agentId: hold.agentId, disposition: 'resolved' },
              ),
            );
        }
      }
      await sleep(300);
    }
  })();

  try {
    for (let index = 0; index < options.callbacks; index += 1) {
      await sleep(window.firstAt + (window.spreadMs * index) / Math.max(1, options.callbacks) - Date.now());
      const abandoned = await recontact.callbacks.requestCallback({
        callId: `CA${randomUUID().replace(/-/g, '')}`,
        from: customerPhone(index),
        queue: SKILL,
        waitedSeconds: 90,
        abandonedAt: new Date().toISOString(),
      });
      workflowIds.push(abandoned.workflowId);
    }
    let statuses: { running: boolean; outcome: string }[] = [];
    const drain = await waitForDrain({
      label: 'callbacks',
      total: workflowIds.length,
      open: async () => {
        statuses = await runStatuses(options.client, workflowIds);
        return statuses.filter((status) => status.running).length;
      },
      firstDueAt: window.firstAt,
      lastDueAt: window.firstAt + window.spreadMs,
      pollMs: 5_000,
      ...window.drain,
    });
    running = false;
    await bot;

    const outbox = options.sandbox.outbox.snapshot();
    const phones = new Set(workflowIds.map((_, index) => customerPhone(index)));
    const keyOf = (url: string | null) => (url === null ? null : new URL(url).searchParams.get('attemptKey'));
    const keys = [
      ...outbox.messages
        .filter((message) => phones.has(message.to))
        .map((message) => keyOf(message.statusCallback)),
      ...outbox.calls
        .filter((call) => call.legs.some((leg) => phones.has(leg.to)))
        .map((call) => keyOf(call.statusCallback)),
    ].filter((key): key is string => key !== null);
    const reached = new Set(
      outbox.calls.flatMap((call) =>
        call.legs.filter((leg) => phones.has(leg.to) && leg.startTime !== null).map((leg) => leg.to),
      ),
    );
    const closedIds = new Set(workflowIds.filter((_, index) => statuses[index]?.running === false));
    const outcomes: Record<string, number> = {};
    for (const status of statuses) outcomes[status.outcome] = (outcomes[status.outcome] ?? 0) + 1;
    return {
      callbacks: workflowIds.length,
      closed: statuses.filter((status) => !status.running).length,
      reached: reached.size,
      duplicates: keys.length - new Set(keys).size,
      holdsLeft: (await options.store.listAgentHolds()).filter((hold) => closedIds.has(hold.workflowId))
        .length,
      outcomes,
      drain,
    };
  } finally {
    running = false;
    await bot;
  }
}

/** Each callback's latest run as Temporal records it: running or not, and its Outcome attribute. */
async function runStatuses(
  client: Client,
  workflowIds: string[],
): Promise<{ running: boolean; outcome: string }[]> {
  return Promise.all(
    workflowIds.map(async (workflowId) => {
      const described = await client.workflow.getHandle(workflowId).describe();
      const outcome = described.searchAttributes.Outcome?.[0];
      const running = described.status.name === 'RUNNING';
      // A run whose workflow task keeps failing (a determinism error) never moves again by itself.
      const failingTask = running && Number(described.raw.pendingWorkflowTask?.attempt ?? 0) > 1;
      return {
        running,
        outcome: failingTask
          ? 'workflow-task-failing'
          : typeof outcome === 'string'
            ? outcome
            : described.status.name.toLowerCase(),
      };
    }),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
