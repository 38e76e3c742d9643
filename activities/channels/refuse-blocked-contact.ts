import { ApplicationFailure } from '@temporalio/activity';
import { ChannelFailure } from '../../domain/channel-failures';
import type { Channel } from '../../domain/policy';
import type { ContactStore } from '../../store';

/**
 * The last check before a provider is called: an opt-out or a do-not-contact entry recorded
 * after the workflow asked the policy (a STOP a second ago) still stops the send.
 */
export async function refuseBlockedContact(
  store: ContactStore,
  address: string,
  channel: Channel,
): Promise<void> {
  const block = await store.contactBlock(address, channel);
  if (block !== undefined) {
    throw ApplicationFailure.nonRetryable(
      `${channel}: ${address} may not be contacted (${block.kind})`,
      ChannelFailure.RecipientOptedOut,
    );
  }
}
