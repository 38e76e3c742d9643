import type { Channel } from './policy/vocabulary';

/**
 * Each channel's activities run on their own task queue, so a provider's pace is enforced by
 * Temporal's task-queue rate limit across every worker process (ARCHITECTURE decision 7).
 */
export function channelTaskQueue(baseTaskQueue: string, channel: Channel): string {
  return `${baseTaskQueue}-${channel}`;
}
