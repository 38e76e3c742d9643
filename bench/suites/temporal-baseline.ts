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
 * Bare timer lateness, the floor under the product's reminders: `count` trivial workflows that only
 * sleep until their due time (inside `windowMs`) on the bench's own in-process worker and return
 * how late the worker saw the timer fire. Nothing is held open while they fire: the results are
 * read once every timer is past due.
 */
export async function timerLatenessSuite(
  context: BenchContext,
  startsPerSecond: number,
  { count, windowMs }: { count: number; windowMs: number },
): Promise<BenchRow[]> {
  // Every timer must be set before the first is due, or lateness would measure the starts.
  const firstDue = Date.now() + (count / startsPerSecond) * 1000 * 1.5 + 5_000;
  const ids: string[] = [];
  await pool(count, 32, async (index) => {
    const workflowId = `bench-timer-${randomUUID()}`;
    await context.client.workflow.start(timerLateness, {
      taskQueue: context.taskQueue,
      workflowId,
      args: [firstDue + Math.floor((index / count) * windowMs)],
    });
    ids.push(workflowId);
  });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstDue + windowMs + 5_000 - Date.now())));
  const lateness: number[] = [];
  await pool(ids.length, 16, async (index) => {
    lateness.push(
      await context.client.workflow.getHandle<typeof timerLateness>(ids[index] as string).result(),
    );
  });
  const p99 = percentile(lateness, 99);
  return [
    {
      benchmark: `bare timer lateness p50 / p99 (${count} due in ${windowMs / 1000} s, trivial workflow)`,
      measured: `${Math.round(percentile(lateness, 50))} / ${Math.round(p99)} ms`,
      baseline: 'floor under the product reminders below',
      ratio: `${(p99 / 250).toFixed(2)}× of 250 ms`,
      target: 'reported',
    },
  ];
}
