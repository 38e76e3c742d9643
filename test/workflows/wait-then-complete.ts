import { sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from '../../workflows/search-attributes';

/** Waits on a durable timer, then completes: the smallest thing that proves timers survive. */
export async function waitThenComplete(waitMs: number): Promise<string> {
  upsertSearchAttributes([{ key: searchAttributes.State, value: 'waiting' }]);
  await sleep(waitMs);
  upsertSearchAttributes([{ key: searchAttributes.State, value: 'done' }]);
  return `waited ${waitMs} ms`;
}
