import type { DomainMetrics } from './domain-metrics';

type CallInput = { workflowId: string; purpose: string };
type CallResult = { placed: true; alreadyPlaced: boolean } | { sent: false };

/**
 * Wraps placeCall to time a callback's call from its claim (the agent held for the call, in the
 * store) to the provider accepting the call request. A call already placed by an earlier try is not
 * timed again.
 */
export function timeClaimToCall<Input extends CallInput, Result extends CallResult>(
  placeCall: (input: Input) => Promise<Result>,
  deps: { callHoldSince(workflowId: string): Promise<number | undefined>; now?: () => number },
  metrics: DomainMetrics | undefined,
): (input: Input) => Promise<Result> {
  if (metrics === undefined) return placeCall;
  const now = deps.now ?? Date.now;
  return async (input) => {
    const result = await placeCall(input);
    if ('placed' in result && !result.alreadyPlaced && input.purpose === 'callback') {
      const since = await deps.callHoldSince(input.workflowId);
      if (since !== undefined) metrics.claimToCall.observe(Math.max(0, now() - since) / 1_000);
    }
    return result;
  };
}
