import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ContactBlockedDetails } from '../domain/channel-failures';

/** An activity's failure as a run decides on it. */
export interface FailedActivity {
  /**
   * The type the activity raised (a `ChannelFailure` of domain/channel-failures.ts, say); undefined
   * when it raised none or timed out: a provider or store that did not answer through every retry.
   */
  type?: string;
  /** What went wrong, for people: the cause's message, else the activity failure's own. */
  message: string;
  /** The store's block behind a `RecipientOptedOut` raised before any provider call. */
  blocked?: ContactBlockedDetails['blocked'];
}

/**
 * `error` as an activity's failure, or undefined when it is something else (a cancellation, a bug in
 * the workflow), which the caller rethrows. Runs decide on the type, never on the message.
 *
 * @example
 * const failure = activityFailure(error);
 * if (failure?.type === ChannelFailure.InvalidRecipient) return finish('invalid-recipient', failure.message);
 * throw error;
 */
export function activityFailure(error: unknown): FailedActivity | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    const blocked = (cause.details?.[0] as Partial<ContactBlockedDetails> | undefined)?.blocked;
    return {
      ...(cause.type !== undefined && cause.type !== null ? { type: cause.type } : {}),
      message: cause.message,
      ...(blocked === 'opted-out' || blocked === 'do-not-contact' ? { blocked } : {}),
    };
  }
  return { message: cause?.message ?? error.message };
}
