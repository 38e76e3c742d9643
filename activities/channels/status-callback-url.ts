import type { Channel } from '../../domain/policy';

/**
 * The status-callback URL for one attempt. It names the workflow and the attempt, so the
 * webhook can signal the owner without a lookup, and Twilio's signature covers it, so nobody
 * can aim a forged status at another workflow.
 */
export function statusCallbackUrl(
  publicUrl: string,
  workflowId: string,
  attemptKey: string,
  channel: Channel,
): string {
  const query = new URLSearchParams({ workflowId, attemptKey, channel });
  return `${publicUrl}/webhooks/twilio/status?${query.toString()}`;
}
