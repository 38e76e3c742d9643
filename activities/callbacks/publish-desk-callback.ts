import type { ContactStore, DeskCallbackInput } from '../../store';

/**
 * What a callback shows on the desk now, written by its run at every change of state (store table
 * `desk_callbacks`): the desk reads pages of the store instead of querying each run. Idempotent;
 * an older write (by `version`) arriving late changes nothing.
 */
export function createPublishDeskCallback(deps: {
  store: Pick<ContactStore, 'publishDeskCallback'>;
  clock?: () => number;
}) {
  const clock = deps.clock ?? Date.now;
  return async function publishDeskCallback(card: DeskCallbackInput): Promise<void> {
    await deps.store.publishDeskCallback(card, clock());
  };
}
