import type { CallbackRun } from './callback-run';
import { percentile } from './percentile';

// A type alias, not an interface: the API's loose response schema needs an index-compatible type.
export type Punctuality = {
  /** Acknowledged callbacks whose acknowledgement named a time (recorded since migration 0010). */
  promised: number;
  /** Of those, called at all. */
  called: number;
  /** Called by the promised time. */
  onTime: number;
  /** Called after it. */
  late: number;
  /** Never called because the callback expired or the policy never allowed it: a broken promise. */
  neverCalled: number;
  /** onTime / (called + neverCalled); null without such callbacks. */
  onTimeShare: number | null;
  /** Minutes past the promise of the late calls, nearest rank; null without late calls. */
  lateP50Minutes: number | null;
  lateP90Minutes: number | null;
  lateMaxMinutes: number | null;
};

/** Endings in which not calling broke the promise (a cancelled or resolved-elsewhere callback kept it). */
const BROKEN_WHEN_NOT_CALLED = new Set(['expired', 'not-allowed', 'unreached']);

/** Share called within the window promised in the acknowledgement, and how late the others were. */
export function punctuality(runs: readonly CallbackRun[]): Punctuality {
  const promised = runs.filter((run) => run.promisedByMs !== null);
  const called = promised.filter((run) => run.firstCallAtMs !== null);
  const lateMinutes = called
    .map((run) => ((run.firstCallAtMs ?? 0) - (run.promisedByMs ?? 0)) / 60_000)
    .filter((minutes) => minutes > 0);
  const neverCalled = promised.filter(
    (run) => run.firstCallAtMs === null && BROKEN_WHEN_NOT_CALLED.has(run.outcome),
  ).length;
  const onTime = called.length - lateMinutes.length;
  const judged = called.length + neverCalled;
  return {
    promised: promised.length,
    called: called.length,
    onTime,
    late: lateMinutes.length,
    neverCalled,
    onTimeShare: judged === 0 ? null : onTime / judged,
    lateP50Minutes: percentile(lateMinutes, 50),
    lateP90Minutes: percentile(lateMinutes, 90),
    lateMaxMinutes: lateMinutes.length === 0 ? null : Math.max(...lateMinutes),
  };
}
