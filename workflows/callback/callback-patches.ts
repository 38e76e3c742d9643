import { patched } from '@temporalio/workflow';

/**
 * What a callback run does differently from runs recorded before a change. Asked once, at the start,
 * in this order: a patch marker's place in the history is part of what a replay checks.
 */
export interface CallbackPatches {
  /**
   * Behaviour for a contact centre's real life (long calls, outages, failing agent phones, late
   * abandons, long waits): running histories recorded before it replay the old way.
   */
  life: boolean;
  /** Waiting runs do not poll the dispatcher: the task queue's one dispatcher offers them. */
  oneDispatcher: boolean;
  /**
   * Replies to the customer's own call (acknowledgement, apology) are the contact policy's decision
   * (rule replyToCustomerContact), not a bypass of it.
   */
  replyPolicy: boolean;
  /** A time the customer gives is read in their zone, never the centre's; unclear → asked back. */
  customerZoneTimes: boolean;
  /** A finished callback waits for no SMS answer: its reply waits are released. */
  releasesReplies: boolean;
  /**
   * The run writes what the desk shows (store table desk_callbacks) at each change of state: the desk
   * reads the store, not each run. Runs started before it are read by the desk's legacy backfill.
   */
  deskModel: boolean;
  /** SMS replies are read with the one normaliser (domain/replies/normalise-reply.ts): accents, punctuation. */
  oneReplyNormaliser: boolean;
  /**
   * Local activities run one at a time (workflows/local-activity-gate.ts): branches waiting on them
   * resume in the same order on replay.
   */
  oneLocalAtATime: boolean;
}

/** Asks every patch of the run, in the order released runs asked them. */
export function askPatches(): CallbackPatches {
  const life = patched('callback-life');
  const oneDispatcher = life && patched('one-dispatcher');
  const replyPolicy = life && patched('reply-to-customer-contact');
  const customerZoneTimes = patched('reply-in-customer-zone');
  const releasesReplies = patched('release-reply-waits');
  const deskModel = patched('desk-read-model');
  const oneReplyNormaliser = patched('one-reply-normaliser');
  const oneLocalAtATime = patched('one-local-activity-at-a-time');
  return {
    life,
    oneDispatcher,
    replyPolicy,
    customerZoneTimes,
    releasesReplies,
    deskModel,
    oneReplyNormaliser,
    oneLocalAtATime,
  };
}
