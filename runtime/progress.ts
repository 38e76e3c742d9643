/** Progress of a long provisioning step, printed to stderr so it never mixes with command output. */
export interface Progress {
  step(message: string): void;
}

export const stderrProgress: Progress = {
  step(message) {
    process.stderr.write(`[recontact] ${message}\n`);
  },
};

export const silentProgress: Progress = { step() {} };

/** Prints "still working" with the elapsed time every `everyMs` until stopped. */
export function heartbeat(progress: Progress, label: string, everyMs = 15_000): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    progress.step(`${label}: ${Math.round((Date.now() - started) / 1000)} s elapsed…`);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
