import { z } from 'zod';
import { MS_PER_MINUTE } from './civil-date';
import type { RetryLadder } from './rules-schema';
import {
  attemptOutcomeSchema,
  channelSchema,
  instantSchema,
  purposeSchema,
  toEpochMs,
  toInstant,
  type Channel,
} from './vocabulary';

/** The attempts an outreach made so far on its current channel, oldest first. */
export const retryPlanInputSchema = z.object({
  kind: purposeSchema,
  channel: channelSchema,
  now: instantSchema,
  attempts: z.array(z.object({ at: instantSchema, outcome: attemptOutcomeSchema })).default([]),
  /** Channels this outreach already used up, so a fallback never loops back. */
  channelsTried: z.array(channelSchema).default([]),
});
export type RetryPlanInput = z.output<typeof retryPlanInputSchema>;

export type RetryPlan =
  | {
      readonly action: 'attempt';
      /** 1 for the first attempt. */
      readonly attempt: number;
      /** Not before this instant; the contact policy still decides the actual time. */
      readonly notBefore: string;
      readonly notBeforeEpochMs: number;
      /** Leave a message if this attempt reaches voicemail. */
      readonly leaveVoicemail: boolean;
      readonly message: string;
    }
  | { readonly action: 'fallback'; readonly channel: Channel; readonly message: string }
  | { readonly action: 'give-up'; readonly message: string };

function leaveVoicemailOn(ladder: RetryLadder, attempt: number, voicemailsSoFar: number): boolean {
  const rung = ladder.outcomes.voicemail;
  if (rung.leaveMessage === 'every-attempt') return true;
  if (rung.leaveMessage === 'never') return false;
  // "Last" means: if this attempt reaches voicemail, no further attempt will follow.
  return attempt >= ladder.maxAttempts || voicemailsSoFar + 1 >= rung.maxAttempts;
}

/**
 * The next step of an outreach after its attempts so far: another attempt (when and whether to leave a
 * voicemail), the fallback channel, or giving up.
 */
export function planRetry(input: RetryPlanInput, ladder: RetryLadder): RetryPlan {
  const nowMs = toEpochMs(input.now);
  const voicemails = input.attempts.filter((attempt) => attempt.outcome === 'voicemail').length;
  const last = input.attempts[input.attempts.length - 1];
  if (last === undefined) {
    return {
      action: 'attempt',
      attempt: 1,
      notBefore: toInstant(nowMs),
      notBeforeEpochMs: nowMs,
      leaveVoicemail: leaveVoicemailOn(ladder, 1, 0),
      message: `First ${input.kind} attempt by ${input.channel}.`,
    };
  }

  const rung = ladder.outcomes[last.outcome];
  const sameOutcome = input.attempts.filter((attempt) => attempt.outcome === last.outcome).length;
  const exhausted =
    input.attempts.length >= ladder.maxAttempts
      ? `${input.attempts.length} of ${ladder.maxAttempts} ${input.kind} attempts by ${input.channel} used`
      : sameOutcome >= rung.maxAttempts
        ? `${sameOutcome} ${last.outcome} outcome${sameOutcome === 1 ? '' : 's'} (limit ${rung.maxAttempts})`
        : null;
  if (exhausted !== null) {
    const fallback = ladder.fallbackChannel;
    if (fallback !== null && fallback !== input.channel && !input.channelsTried.includes(fallback)) {
      return { action: 'fallback', channel: fallback, message: `${exhausted}: falling back to ${fallback}.` };
    }
    return { action: 'give-up', message: `${exhausted}: no further channel, giving up.` };
  }

  const delayMinutes = rung.delaysMinutes[Math.min(sameOutcome, rung.delaysMinutes.length) - 1] ?? 0;
  const notBeforeMs = Math.max(nowMs, toEpochMs(last.at) + delayMinutes * MS_PER_MINUTE);
  const attempt = input.attempts.length + 1;
  return {
    action: 'attempt',
    attempt,
    notBefore: toInstant(notBeforeMs),
    notBeforeEpochMs: notBeforeMs,
    leaveVoicemail: leaveVoicemailOn(ladder, attempt, voicemails),
    message: `Attempt ${attempt} of ${ladder.maxAttempts} after ${last.outcome}: wait ${delayMinutes} min.`,
  };
}
