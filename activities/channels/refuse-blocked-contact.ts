import { ApplicationFailure } from '@temporalio/activity';
import { ChannelFailure } from '../../domain/channel-failures';
import type { Channel } from '../../domain/policy';
import type { ContactStore } from '../../store';
import { customerLabel } from './customer-label';

/**
 * The last check before a provider is called: an opt-out or a do-not-contact entry recorded
 * after the workflow asked the policy (a STOP a second ago) still stops the send. The failure
 * names the customer by their key, never by number or address.
 */
export async function refuseBlockedContact(
  store: ContactStore,
  address: string,
  channel: Channel,
  customerKeySecret?: string,
): Promise<void> {
  const block = await store.contactBlock(address, channel);
  if (block !== undefined) {
    throw ApplicationFailure.nonRetryable(
      `${channel}: ${customerLabel(address, customerKeySecret)} may not be contacted (${block.kind})`,
      ChannelFailure.RecipientOptedOut,
    );
  }
}
