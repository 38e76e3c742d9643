/**
 * Failure types channel activities raise, shared with workflows so they decide on types, never
 * on message text. The table that maps provider errors to them is in
 * activities/channels/provider-errors.ts (and docs/channels.md, "Provider errors").
 */
export const ChannelFailure = {
  /** The address cannot receive this channel (invalid, not mobile, unroutable, rejected mailbox). */
  InvalidRecipient: 'InvalidRecipient',
  /** The recipient opted out (STOP, unsubscribe, carrier block) or is on the do-not-contact list. */
  RecipientOptedOut: 'RecipientOptedOut',
  /** The whole channel is unusable until someone fixes configuration (e.g. Twilio auth 20003). */
  ChannelMisconfigured: 'ChannelMisconfigured',
  /** The message cannot be built (unknown template, missing variable): a bug to fix, not to retry. */
  InvalidContent: 'InvalidContent',
  /** Delivery failed in a way worth a bounded number of later attempts (30003, 30008). */
  TransientDelivery: 'TransientDelivery',
} as const;

export type ChannelFailureType = (typeof ChannelFailure)[keyof typeof ChannelFailure];

/**
 * The details of a `RecipientOptedOut` raised before any provider call, from the store's own
 * record: which block refused the contact. (A carrier's refusal carries none.)
 */
export interface ContactBlockedDetails {
  blocked: 'opted-out' | 'do-not-contact';
}

/** Failures no retry can fix: activities raise them as non-retryable. */
export const nonRetryableChannelFailures: readonly ChannelFailureType[] = [
  ChannelFailure.InvalidRecipient,
  ChannelFailure.RecipientOptedOut,
  ChannelFailure.ChannelMisconfigured,
  ChannelFailure.InvalidContent,
];
