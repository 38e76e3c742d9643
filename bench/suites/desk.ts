import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { type BenchRow, pool } from '../stats';
import {
  sandboxSettled,
  startBenchCallbackStack,
  startWaitingCallbacks,
  type BenchCallbackStack,
} from './callback-stack';

export interface DeskSuiteOptions {
  /** Callbacks waiting for an agent, measured at each size in turn (quick: 500 and 2,000). */
  sizes: number[];
  /** Agent desk pages connected to the live stream. */
  pages: number;
  /**
   * How many of the waiting callbacks are real runs; the rest are written to the store exactly as a
   * waiting run writes them (its desk row, then its queue entry) — what the desk reads is the same,
   * and starting thousands of runs on a shared 2-core machine is a benchmark of its own (dispatch).
   */
  realRuns: number;
  /** How long the cost is measured, with the pages connected and without. */
  windowMs: number;
  /** The dev server's Prometheus endpoint, where Temporal's requests are counted. */
  metricsUrl: string;
}

/** The Temporal requests a desk could make per run or per list (queries, describes, lists, counts). */
const READ_OPERATIONS = [
  'QueryWorkflow',
  'DescribeWorkflowExecution',
  'ListWorkflowExecutions',
  'CountWorkflowExecutions',
];

interface Cost {
  cpuSecondsPerMinute: number;
  queriesPerSecond: number;
  readsPerSecond: number;
}

/**
 * The agent desk at scale (issue 14): `size` callbacks wait (the first `realRuns` real runs, the rest
 * written to the store as runs write them) for agents who are busy (so nothing
 * changes while measured), and `pages` agent pages follow the desk's live stream
 * (`GET /desk/api/events`, the page's own connection, first page of 50). Measured over a window:
 * this process's CPU (the API with its desk hub, and the idle worker — the same window without
 * pages is measured too, so the pages' own share shows) and the Temporal server's read requests
 * (queries of runs, describes, lists and counts) from its metrics. The desk reads the store's read
 * model, so both should not grow with the number waiting; every page also checks that its agent
 * is told the full count.
 */
export async function deskSuite(
  client: Client,
  connection: NativeConnection,
  options: DeskSuiteOptions,
): Promise<BenchRow[]> {
  const stack = await startBenchCallbackStack(client, connection, { name: 'desk', apiPort: 17_330 });
  try {
    const tokens: string[] = [];
    for (let index = 0; index < options.pages; index += 1) {
      const id = `desk-agent-${index}`;
      await stack.services.store.upsertAgent({
        id,
        name: id,
        address: `+1415557${String(index).padStart(4, '0')}`,
        skills: ['sales'],
        languages: ['en'],
        // Busy agents see (and may claim) every waiting callback but are offered none.
        presence: 'busy',
        at: Date.now(),
      });
      tokens.push(
        (await stack.services.store.issueDeskToken({ role: 'agent', subjectId: id, at: Date.now() })).token,
      );
    }
    const measured: { size: number; idle: Cost; pages: Cost }[] = [];
    const started: string[] = [];
    for (const size of options.sizes) {
      const real = Math.max(0, Math.min(options.realRuns, size) - started.length);
      await startWaitingCallbacks(stack, real, started, 6_000_000);
      await writeWaiting(stack, size - started.length, started);
      await sandboxSettled(stack);
      const idle = await cost(options.metricsUrl, options.windowMs / 2);
      const streams = await openPages(stack, tokens, size);
      try {
        // Let the pages' first reads pass: what is measured is the steady cost of following the desk.
        await sleep(2_000);
        const pages = await cost(options.metricsUrl, options.windowMs);
        measured.push({ size, idle, pages });
      } finally {
        streams.close();
      }
    }
    const first = measured[0]!;
    const rows: BenchRow[] = [];
    for (const { size, idle, pages } of measured) {
      const times = size / first.size;
      rows.push(
        {
          benchmark: `desk: API+worker process CPU with ${options.pages} agent pages live (${size} waiting)`,
          measured: `${pages.cpuSecondsPerMinute.toFixed(2)} CPU-s/min (${idle.cpuSecondsPerMinute.toFixed(2)} without pages)`,
          baseline:
            size === first.size
              ? 'itself'
              : `${first.pages.cpuSecondsPerMinute.toFixed(2)} at ${first.size} waiting`,
          ratio:
            size === first.size
              ? '1.00×'
              : `${(pages.cpuSecondsPerMinute / Math.max(0.01, first.pages.cpuSecondsPerMinute)).toFixed(2)}× for ${times.toFixed(0)}× the callbacks`,
          target: 'independent of the number waiting',
        },
        {
          benchmark: `desk: Temporal queries of runs per second (${size} waiting, ${options.pages} pages)`,
          measured: `${pages.queriesPerSecond.toFixed(2)}/s (all reads ${pages.readsPerSecond.toFixed(2)}/s)`,
          baseline:
            size === first.size
              ? `${idle.queriesPerSecond.toFixed(2)}/s without pages`
              : `${first.pages.queriesPerSecond.toFixed(2)}/s at ${first.size} waiting`,
          ratio:
            size === first.size
              ? '—'
              : `reads ${pages.readsPerSecond.toFixed(2)} vs ${first.pages.readsPerSecond.toFixed(2)}/s`,
          target: 'no per-run query: 0 queries/s, reads independent of the number waiting',
        },
      );
    }
    return rows;
  } finally {
    await stack.stop();
  }
}

/** Writes `count` waiting callbacks to the store as their runs would: the desk row, then the queue entry. */
async function writeWaiting(stack: BenchCallbackStack, count: number, started: string[]): Promise<void> {
  const { store } = stack.services;
  const offset = started.length;
  await pool(count, 4, async (index) => {
    const workflowId = `callback-benchdesk${String(offset + index).padStart(6, '0')}`;
    const requestedAtMs = Date.now() - 60_000;
    const priority = (offset + index) % 7;
    await store.publishDeskCallback({
      workflowId,
      state: 'waiting-for-agent',
      priority,
      requestedAtMs,
      dueAtMs: requestedAtMs,
      expiresAtMs: requestedAtMs + 72 * 3_600_000,
      origin: 'abandon',
      queue: 'sales',
      skill: 'sales',
      customerName: `Customer ${offset + index}`,
      reason: 'billing question',
      waitedSeconds: 60,
      abandonCount: 1,
      attempts: [],
      version: requestedAtMs * 1_000,
    });
    await store.enqueueCallback({ workflowId, skill: 'sales', priority, requestedAtMs });
    started.push(workflowId);
  });
}

/** This process's CPU and the Temporal server's read requests over `windowMs`. */
async function cost(metricsUrl: string, windowMs: number): Promise<Cost> {
  const before = await temporalReads(metricsUrl);
  const cpuBefore = process.cpuUsage();
  const startedAt = Date.now();
  await sleep(windowMs);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = Date.now() - startedAt;
  const after = await temporalReads(metricsUrl);
  const perSecond = (operations: string[]) =>
    operations.reduce(
      (sum, operation) => sum + ((after.get(operation) ?? 0) - (before.get(operation) ?? 0)),
      0,
    ) /
    (elapsed / 1_000);
  return {
    cpuSecondsPerMinute: ((cpu.user + cpu.system) / 1e6) * (60_000 / elapsed),
    queriesPerSecond: perSecond(['QueryWorkflow']),
    readsPerSecond: perSecond(READ_OPERATIONS),
  };
}

/** Requests the Temporal frontend has served, per operation (Prometheus `service_requests`). */
async function temporalReads(metricsUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('service_requests{')) continue;
    const operation = /operation="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (operation === undefined || !Number.isFinite(value)) continue;
    counts.set(operation, (counts.get(operation) ?? 0) + value);
  }
  if (counts.size === 0) throw new Error(`no service_requests in the dev server's metrics (${metricsUrl})`);
  return counts;
}

/**
 * Opens one live stream per token as the agent page does, and waits until each has had its first
 * view, checking that the agent is told about every waiting callback.
 */
async function openPages(
  stack: BenchCallbackStack,
  tokens: string[],
  waiting: number,
): Promise<{ close(): void }> {
  const controller = new AbortController();
  const firstViews = tokens.map(async (token) => {
    const response = await fetch(`${stack.config.PUBLIC_URL}/desk/api/events?offset=0&limit=50`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok || response.body === null) throw new Error(`desk events: ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let first: { queuePage: { total: number } } | undefined;
    while (first === undefined) {
      const { value, done } = await reader.read();
      if (done) throw new Error('desk events: the stream ended before its first view');
      buffer += value;
      const match = /event: view\ndata: (.*)\n\n/.exec(buffer);
      if (match !== null) first = JSON.parse(match[1]!) as { queuePage: { total: number } };
    }
    // Keep reading (and dropping) what the stream sends, as a page does.
    void (async () => {
      try {
        for (;;) if ((await reader.read()).done) return;
      } catch {
        // Closed.
      }
    })();
    return first.queuePage.total;
  });
  const totals = await Promise.all(firstViews);
  const short = totals.filter((total) => total < waiting);
  if (short.length > 0) {
    controller.abort();
    throw new Error(
      `${short.length} agent pages were told of fewer than ${waiting} waiting callbacks: ${short.join(', ')}`,
    );
  }
  return { close: () => controller.abort() };
}
