/** Why a running call leg stopped early. */
export class LegInterrupted extends Error {
  constructor(readonly reason: 'hangup' | 'cancel' | 'redirect' | 'shutdown') {
    super(`call leg interrupted: ${reason}`);
    this.name = 'LegInterrupted';
  }
}

/** Waits `ms`; rejects with the signal's reason as soon as it aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Background work the sandbox started (lifecycles, callbacks), so `stop()` can wait for it. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  track(task: Promise<unknown>): void {
    const settled = task.catch(() => undefined).finally(() => this.running.delete(settled));
    this.running.add(settled);
  }

  /** Resolves when everything started so far, and anything it started, has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
