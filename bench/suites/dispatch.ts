import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { type BenchRow, percentile } from '../stats';
import {
  BENCH_API_TOKEN,
  sandboxSettled,
  startBenchCallbackStack,
  startWaitingCallbacks,
  type BenchCallbackStack,
} from './callback-stack';

const TARGET_OFFER_P95_MS = 1_000;
const HOUR_MS = 3_600_000;

export interface DispatchSuiteOptions {
  /** Callbacks waiting for an agent at the end (the target: 5,000). */
  waiting: number;
  /** Agents who go available one after another (target: 100 over a minute). */
  agents: number;
  /** Over how long they go available. */
  availabilityMs: number;
  /** How long the waiting callbacks are watched with no agent free, at each size. */
  idleMs: number;
}

/**
 * The callback dispatcher at scale (issue 14): `waiting` callbacks wait for the skill's agents; the
 * agents go available one by one through the HTTP API, as a desk or a phone system would. Offer
 * latency is from the API request to the offer the dispatcher wrote to the contact store (its hold's
 * own timestamp). The cost of waiting is measured with no agent free, first with a tenth of the
 * callbacks waiting and then with all of them: this process's CPU time (worker, API and dispatcher
 * all run here) and the events the waiting runs' histories gained (a sample of 20). One dispatcher
 * and no per-run polling make the total flat in the number waiting and the per-run events zero.
 */
export async function dispatchSuite(
  client: Client,
  connection: NativeConnection,
  options: DispatchSuiteOptions,
): Promise<BenchRow[]> {
  const stack = await startBenchCallbackStack(client, connection, { name: 'dispatch', apiPort: 17_310 });
  try {
    const agents = Array.from({ length: options.agents }, (_, index) => `dispatch-agent-${index}`);
    for (const [index, id] of agents.entries()) {
      await stack.services.store.upsertAgent({
        id,
        name: id,
        address: `+1415556${String(index).padStart(4, '0')}`,
        skills: ['sales'],
        languages: ['en'],
        presence: 'busy',
        at: Date.now(),
      });
    }
    const small = Math.max(1, Math.round(options.waiting / 10));
    const started: string[] = [];
    await startWaitingCallbacks(stack, small, started, 5_000_000);
    const idleSmall = await idleCost(stack, client, started, options.idleMs);
    await startWaitingCallbacks(stack, options.waiting - small, started, 5_000_000);
    const idleLarge = await idleCost(stack, client, started, options.idleMs);
    const latencies = await offerLatencies(stack, agents, options.availabilityMs);

    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const perRunEvents = (cost: IdleCost) => (cost.sampledEvents / cost.sampled) * (HOUR_MS / cost.windowMs);
    return [
      {
        benchmark: `offer after an agent goes available, p50 / p95 (${options.waiting} waiting, ${latencies.length}/${agents.length} agents offered)`,
        measured: `${p50} ms / ${p95} ms`,
        baseline: `${TARGET_OFFER_P95_MS} ms target`,
        ratio: `${(p95 / TARGET_OFFER_P95_MS).toFixed(2)}× of target`,
        target:
          p95 <= TARGET_OFFER_P95_MS && latencies.length === agents.length
            ? `met (p95 ≤ ${TARGET_OFFER_P95_MS} ms)`
            : `MISSED (p95 ≤ ${TARGET_OFFER_P95_MS} ms, every agent offered)`,
      },
      {
        benchmark: `worker+API CPU while callbacks wait, per hour (${idleLarge.waiting} waiting)`,
        measured: `${idleLarge.cpuSecondsPerHour.toFixed(1)} CPU-s/h`,
        baseline: `${idleSmall.cpuSecondsPerHour.toFixed(1)} CPU-s/h with ${idleSmall.waiting} waiting`,
        ratio: `${(idleLarge.cpuSecondsPerHour / Math.max(0.1, idleSmall.cpuSecondsPerHour)).toFixed(2)}× for ${(idleLarge.waiting / idleSmall.waiting).toFixed(0)}× the callbacks`,
        target: 'constant in the number waiting (not linear)',
      },
      {
        benchmark: 'history events per waiting callback per hour (sample of 20, no agent free)',
        measured: `${perRunEvents(idleLarge).toFixed(1)} (${idleLarge.waiting} waiting)`,
        baseline: `${perRunEvents(idleSmall).toFixed(1)} (${idleSmall.waiting} waiting)`,
        ratio: '—',
        target: 'no per-run polling: 0',
      },
    ];
  } finally {
    await stack.stop();
  }
}

interface IdleCost {
  waiting: number;
  windowMs: number;
  cpuSecondsPerHour: number;
  sampled: number;
  sampledEvents: number;
}

/** What `started` waiting callbacks cost over `windowMs` with no agent free. */
async function idleCost(
  stack: BenchCallbackStack,
  client: Client,
  started: string[],
  windowMs: number,
): Promise<IdleCost> {
  // Let the acknowledgements (and their delivery reports) and the last dispatch pass settle first.
  await sandboxSettled(stack);
  const sample = started.slice(0, 20);
  const events = async (): Promise<number> => {
    let total = 0;
    for (const workflowId of sample) {
      total += (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
    }
    return total;
  };
  const eventsBefore = await events();
  const cpuBefore = process.cpuUsage();
  const startedAt = Date.now();
  await sleep(windowMs);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = Date.now() - startedAt;
  const eventsAfter = await events();
  return {
    waiting: started.length,
    windowMs: elapsed,
    cpuSecondsPerHour: ((cpu.user + cpu.system) / 1e6) * (HOUR_MS / elapsed),
    sampled: sample.length,
    sampledEvents: eventsAfter - eventsBefore,
  };
}

/**
 * Makes each agent available through `PUT /v1/agents/:id/presence`, evenly over `spreadMs`, and
 * returns, per agent offered, the time from the API request to the offer's hold in the store.
 */
async function offerLatencies(
  stack: BenchCallbackStack,
  agents: string[],
  spreadMs: number,
): Promise<number[]> {
  const availableAt = new Map<string, number>();
  const offeredAt = new Map<string, number>();
  let done = false;
  const watcher = (async () => {
    while (!done) {
      for (const hold of await stack.services.store.listAgentHolds()) {
        if (hold.kind === 'offer' && availableAt.has(hold.agentId) && !offeredAt.has(hold.agentId)) {
          offeredAt.set(hold.agentId, hold.since);
        }
      }
      await sleep(25);
    }
  })();
  const gapMs = spreadMs / Math.max(1, agents.length);
  for (const agentId of agents) {
    availableAt.set(agentId, Date.now());
    const response = await fetch(`${stack.config.PUBLIC_URL}/v1/agents/${agentId}/presence`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${BENCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ presence: 'available' }),
    });
    if (!response.ok) throw new Error(`presence of ${agentId}: HTTP ${response.status}`);
    await sleep(gapMs);
  }
  // The last agent has a few seconds to be offered, then whoever was not counts as missed.
  const deadline = Date.now() + 10_000;
  while (offeredAt.size < agents.length && Date.now() < deadline) await sleep(100);
  done = true;
  await watcher;
  return [...offeredAt].map(([agentId, at]) => Math.max(0, at - (availableAt.get(agentId) ?? at)));
}
