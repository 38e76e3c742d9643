export interface DrainOptions {
  /** What drains, for the printed lines: "reminders", "callbacks". */
  label: string;
  total: number;
  /** Items still open now (not delivered, not accounted for). */
  open: () => Promise<number>;
  /** When the first item was due: the fallback throughput is measured from here. */
  firstDueAt: number;
  /** When the last item was due: nothing can drain before it. */
  lastDueAt: number;
  /**
   * The throughput is measured over this long at the start of the wait — after the faults, so the
   * rate is the system's, not that of workers being killed every few seconds. @default 60000
   */
  measureMs?: number;
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
  /** Items done per second over the measuring window (or since the first was due, if none then). */
  measuredPerSecond: number;
  /** How long the wait was allowed to last, from its start. */
  limitMs: number;
  /** From the last due time to the moment nothing was open (or the wait gave up). */
  drainMs: number;
}

/**
 * How long the whole wait may last: the time already spent measuring plus `factor` × (open ÷ the
 * measured throughput), never ending before `minMs` past the last due time, never longer than
 * `maxMs`. With no throughput to go by (nothing done yet) the wait is `maxMs`.
 */
export function drainLimitMs(input: {
  open: number;
  measuredPerSecond: number;
  /** When the wait started, and now (the end of the measuring window). */
  startedAt: number;
  now: number;
  lastDueAt: number;
  factor: number;
  minMs: number;
  maxMs: number;
}): number {
  const estimateMs = input.measuredPerSecond > 0 ? (input.open / input.measuredPerSecond) * 1000 : Infinity;
  const spentMs = input.now - input.startedAt;
  const floorMs = input.lastDueAt + input.minMs - input.startedAt;
  return Math.round(Math.min(input.maxMs, Math.max(floorMs, spentMs + input.factor * estimateMs, 0)));
}

/**
 * Waits until a backlog drains — nothing open — or until a limit derived from the measured
 * throughput runs out ({@link drainLimitMs}). The throughput is measured over the first
 * `measureMs` of the wait; the limit is printed then, and the drain time at the end.
 */
export async function waitForDrain(options: DrainOptions): Promise<DrainResult> {
  const startedAt = Date.now();
  const pollMs = options.pollMs ?? 2_000;
  const sleep = () => new Promise((resolve) => setTimeout(resolve, pollMs));
  const openAtStart = await options.open();
  let open = openAtStart;
  while (open > 0 && Date.now() - startedAt < (options.measureMs ?? 60_000)) {
    await sleep();
    open = await options.open();
  }
  const now = Date.now();
  const windowRate = (openAtStart - open) / Math.max(1, (now - startedAt) / 1000);
  const sinceFirstDue = (options.total - open) / Math.max(1, (now - options.firstDueAt) / 1000);
  const measuredPerSecond = windowRate > 0 ? windowRate : sinceFirstDue;
  const limitMs = drainLimitMs({
    open,
    measuredPerSecond,
    startedAt,
    now,
    lastDueAt: options.lastDueAt,
    factor: options.factor ?? 2,
    minMs: options.minMs,
    maxMs: options.maxMs,
  });
  if (open > 0)
    options.log?.(
      `${options.label}: ${open} of ${options.total} open, ${measuredPerSecond.toFixed(2)}/s done over the last ${Math.round((now - startedAt) / 1000)} s → waiting up to ${Math.round(limitMs / 1000)} s in all`,
    );
  while (open > 0 && Date.now() - startedAt < limitMs) {
    await sleep();
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
