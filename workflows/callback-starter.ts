import { proxyActivities } from '@temporalio/workflow';
import type { createStartOrJoinCallback } from '../activities/callbacks/start-or-join-callback';

/**
 * A callback asked for by another workflow (a rescue, an unconfirmed appointment), with the callback
 * queue's options. Its activity starts the callback workflow by type name
 * (services/start-or-join-callback.ts), so no import reaches the callback workflow from here.
 */
export const callbackStarter = proxyActivities<{
  startOrJoinCallback: ReturnType<typeof createStartOrJoinCallback>;
}>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
