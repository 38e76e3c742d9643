import { ApplicationFailure } from '@temporalio/activity';
import { ChannelFailure, type ContactBlockedDetails } from '../../domain/channel-failures';
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
    const details: ContactBlockedDetails = { blocked: block.kind };
    throw ApplicationFailure.create({
      message: `${channel}: ${customerLabel(address, customerKeySecret)} may not be contacted (${block.kind})`,
      type: ChannelFailure.RecipientOptedOut,
      nonRetryable: true,
      // Which block: a run that skips rather than fails names the reason (workflows/reminder).
      details: [details],
    });
  }
}
