import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `fn` while holding a lock directory, so two processes (a test run and `npm start`, say)
 * never build the same cache entry at once. A lock older than `staleAfterMs` is from a dead
 * process and is taken over.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  { staleAfterMs = 30 * 60_000, onWait }: { staleAfterMs?: number; onWait?: () => void } = {},
): Promise<T> {
  mkdirSync(path.dirname(lockPath), { recursive: true });
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lockPath);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - lockAge(lockPath) > staleAfterMs) {
        rmSync(lockPath, { recursive: true, force: true });
        continue;
      }
      if (!waited) onWait?.();
      waited = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { recursive: true, force: true });
  }
}

function lockAge(lockPath: string): number {
  try {
    return statSync(lockPath).mtimeMs;
  } catch {
    return Date.now();
  }
}
