import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { timerLateness, trivialWorkflow } from '../workflows';
import { type BenchRow, percentile, pool } from '../stats';

export interface BenchContext {
  client: Client;
  worker: Worker;
  taskQueue: string;
  full: boolean;
}

/** Starts per second for a trivial workflow: the baseline every start-rate target is a ratio of. */
export async function measureTrivialStartRate(context: BenchContext, count: number): Promise<number> {
  const started = performance.now();
  await pool(count, 32, async () => {
    await context.client.workflow.start(trivialWorkflow, {
      taskQueue: context.taskQueue,
      workflowId: `bench-trivial-${randomUUID()}`,
    });
  });
  return count / ((performance.now() - started) / 1000);
}

/**
 * Timer lateness with `count` timers due within `windowMs`: p50/p95/p99 of (fired − due).
 * The target is p99 ≤ 250 ms with 10,000 timers in one minute (`--full`).
 */
export async function timerLatenessSuite(
  context: BenchContext,
  startsPerSecond: number,
): Promise<BenchRow[]> {
  const count = context.full ? 10_000 : 1_000;
  const windowMs = context.full ? 60_000 : 10_000;
  // Every timer must be set before the first is due, or lateness would measure the starts.
  const firstDue = Date.now() + (count / startsPerSecond) * 1000 * 1.5 + 5_000;
  const handles: Promise<number>[] = [];
  await pool(count, 32, async (index) => {
    const handle = await context.client.workflow.start(timerLateness, {
      taskQueue: context.taskQueue,
      workflowId: `bench-timer-${randomUUID()}`,
      args: [firstDue + Math.floor((index / count) * windowMs)],
    });
    handles.push(handle.result());
  });
  const lateness = await Promise.all(handles);
  const p99 = percentile(lateness, 99);
  return [
    {
      benchmark: `timer lateness p50 (${count} due in ${windowMs / 1000} s)`,
      measured: `${Math.round(percentile(lateness, 50))} ms`,
      baseline: 'Temporal default look-ahead ≈ 1000 ms',
      ratio: '',
      target: '',
    },
    {
      benchmark: `timer lateness p99 (${count} due in ${windowMs / 1000} s)`,
      measured: `${Math.round(p99)} ms`,
      baseline: '250 ms target',
      ratio: `${(p99 / 250).toFixed(2)}× of target`,
      target: p99 <= 250 ? 'met (≤ 250 ms)' : 'MISSED (≤ 250 ms)',
    },
  ];
}
