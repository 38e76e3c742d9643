export interface DrainOptions {
  /** What drains, for the printed lines: "reminders", "callbacks". */
  label: string;
  total: number;
  /** Items still open now (not delivered, not accounted for). */
  open: () => Promise<number>;
  /** When the first item was due: the throughput is measured from here to the start of the wait. */
  firstDueAt: number;
  /** When the last item was due: nothing can drain before it. */
  lastDueAt: number;
  /** The wait is this many times the estimated drain time (open ÷ measured throughput). @default 2 */
  factor?: number;
  /** At least this long past the last due time. */
  minMs: number;
  /** At most this long from the start of the wait. */
  maxMs: number;
  /** @default 2000 */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface DrainResult {
  drained: boolean;
  /** Still open when the wait ended. */
  open: number;
  /** Items done per second from the first due time to the start of the wait. */
  measuredPerSecond: number;
  /** How long the wait was allowed to last, from its start. */
  limitMs: number;
  /** From the last due time to the moment nothing was open (or the wait gave up). */
  drainMs: number;
}

/**
 * How long to wait for a backlog: `factor` × (open ÷ the throughput measured so far), never ending
 * before `minMs` past the last due time, never longer than `maxMs`. With nothing done yet there is
 * no throughput to go by, so the wait is `maxMs`.
 */
export function drainLimitMs(input: {
  total: number;
  open: number;
  firstDueAt: number;
  lastDueAt: number;
  now: number;
  factor: number;
  minMs: number;
  maxMs: number;
}): { limitMs: number; measuredPerSecond: number } {
  const done = input.total - input.open;
  const elapsedSeconds = Math.max(1, (input.now - input.firstDueAt) / 1000);
  const measuredPerSecond = done / elapsedSeconds;
  const estimateMs = measuredPerSecond > 0 ? (input.open / measuredPerSecond) * 1000 : Infinity;
  const floorMs = input.lastDueAt + input.minMs - input.now;
  const limitMs = Math.min(input.maxMs, Math.max(floorMs, input.factor * estimateMs, 0));
  return { limitMs: Math.round(limitMs), measuredPerSecond };
}

/**
 * Waits until a backlog drains — nothing open — or until a limit derived from the throughput
 * measured so far ({@link drainLimitMs}), printed when the wait starts, runs out.
 */
export async function waitForDrain(options: DrainOptions): Promise<DrainResult> {
  const started = Date.now();
  let open = await options.open();
  const { limitMs, measuredPerSecond } = drainLimitMs({
    total: options.total,
    open,
    firstDueAt: options.firstDueAt,
    lastDueAt: options.lastDueAt,
    now: started,
    factor: options.factor ?? 2,
    minMs: options.minMs,
    maxMs: options.maxMs,
  });
  options.log?.(
    `${options.label}: ${open} of ${options.total} open, ${measuredPerSecond.toFixed(2)}/s done since the first was due → waiting up to ${Math.round(limitMs / 1000)} s for the rest`,
  );
  while (open > 0 && Date.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2_000));
    open = await options.open();
  }
  const drainMs = Math.max(0, Date.now() - options.lastDueAt);
  options.log?.(
    open === 0
      ? `${options.label}: drained ${Math.round(drainMs / 1000)} s after the last was due`
      : `${options.label}: ${open} still open when the ${Math.round(limitMs / 1000)} s limit ran out`,
  );
  return { drained: open === 0, open, measuredPerSecond, limitMs, drainMs };
}
