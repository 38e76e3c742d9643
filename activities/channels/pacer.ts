import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces calls to a provider evenly inside one worker process: each call gets the next slot
 * 1/rate seconds after the previous one. Temporal's task-queue limit keeps the pace across all
 * processes, but it is a token bucket that, after a pause, releases a second's worth at once;
 * this smooths that burst so one process never sends faster than the rate in any second.
 */
export function createPacer(perSecond: number): () => Promise<void> {
  const spacingMs = 1000 / perSecond;
  let nextSlot = 0;
  return async () => {
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + spacingMs;
    if (slot > now) await sleep(slot - now);
  };
}
