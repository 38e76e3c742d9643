import { ApplicationFailure } from '@temporalio/common';
import type { Channel } from '../domain/policy';
import type { DomainMetrics } from './domain-metrics';

type SendOutcome = { sent?: boolean; placed?: boolean; verdict?: string; reason?: string };

/**
 * Wraps a channel's send activity to count what became of each call of it: sent, held by the policy
 * (a `not-yet` also counts as a deferral with its reason) or failed for good. A failure that will be
 * retried is not counted: its retry is.
 */
export function countSends<Input, Result extends SendOutcome>(
  channel: Channel,
  send: (input: Input) => Promise<Result>,
  metrics: DomainMetrics | undefined,
): (input: Input) => Promise<Result> {
  if (metrics === undefined) return send;
  return async (input) => {
    try {
      const result = await send(input);
      if (result.sent === true || result.placed === true) {
        metrics.sends.inc({ channel, outcome: 'sent' });
      } else {
        metrics.sends.inc({ channel, outcome: 'held' });
        if (result.verdict === 'not-yet') {
          metrics.deferrals.inc({ channel, reason: result.reason ?? 'unknown' });
        }
      }
      return result;
    } catch (error) {
      if (error instanceof ApplicationFailure && error.nonRetryable) {
        metrics.sends.inc({ channel, outcome: 'failed' });
      }
      throw error;
    }
  };
}
