import { proxyActivities } from '@temporalio/workflow';
import type { createStartOrJoinCallback } from '../activities/callbacks/start-or-join-callback';

/**
 * A callback asked for by another workflow (a rescue, an unconfirmed appointment), with the callback
 * queue's options. Apart from workflows/activity-proxies.ts because its activity imports the callback
 * workflow: the callback's own modules must not reach it back.
 */
export const callbackStarter = proxyActivities<{
  startOrJoinCallback: ReturnType<typeof createStartOrJoinCallback>;
}>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
