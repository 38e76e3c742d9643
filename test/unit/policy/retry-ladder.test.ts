import fc from 'fast-check';
import {
  ATTEMPT_OUTCOMES,
  CHANNELS,
  PURPOSES,
  planRetry,
  retryPlanInputSchema,
  type RetryPlan,
} from '../../../domain/policy';
import { shippedPolicy } from './support/policies';

const ladders = shippedPolicy.retryLadders;
const start = Date.parse('2025-01-07T10:00:00Z');
const minutes = (n: number) => new Date(start + n * 60_000).toISOString();

function plan(kind: 'callback' | 'reminder' | 'courtesy', outcomes: string[], extra: object = {}): RetryPlan {
  const attempts = outcomes.map((outcome, index) => ({ at: minutes(index * 60), outcome }));
  const now = attempts.at(-1)?.at ?? minutes(0);
  return planRetry(
    retryPlanInputSchema.parse({ kind, channel: 'voice', now, attempts, ...extra }),
    ladders[kind],
  );
}

describe('retry ladder', () => {
  it('starts with attempt 1 now', () => {
    expect(plan('callback', [])).toMatchObject({ action: 'attempt', attempt: 1, notBefore: minutes(0) });
  });

  it('climbs the busy rung: 5, 10, then 20 minutes, then falls back to SMS after 3 busy outcomes', () => {
    expect(plan('callback', ['busy'])).toMatchObject({
      action: 'attempt',
      attempt: 2,
      notBefore: minutes(5),
    });
    expect(plan('callback', ['busy', 'busy'])).toMatchObject({ attempt: 3, notBefore: minutes(60 + 10) });
    expect(plan('callback', ['busy', 'busy', 'busy'])).toEqual({
      action: 'fallback',
      channel: 'sms',
      message: '3 busy outcomes (limit 3): falling back to sms.',
    });
  });

  it('repeats the last delay once the list runs out', () => {
    expect(plan('callback', ['no-answer', 'busy', 'no-answer'])).toMatchObject({
      attempt: 4,
      notBefore: minutes(120 + 30),
    });
  });

  it('stops at the ladder’s total attempts, whatever the mix of outcomes', () => {
    expect(plan('callback', ['busy', 'no-answer', 'failed', 'busy', 'no-answer'])).toMatchObject({
      action: 'fallback',
      channel: 'sms',
      message: '5 of 5 callback attempts by voice used: falling back to sms.',
    });
  });

  it('gives up on an invalid number when the fallback was already tried or there is none', () => {
    expect(plan('callback', ['invalid'])).toMatchObject({ action: 'fallback', channel: 'sms' });
    expect(plan('callback', ['invalid'], { channelsTried: ['sms'] })).toMatchObject({ action: 'give-up' });
    expect(plan('courtesy', ['invalid'])).toMatchObject({ action: 'give-up' });
  });

  it('leaves a callback voicemail only on the last attempt, a reminder voicemail every time', () => {
    expect(plan('callback', ['voicemail'])).toMatchObject({ attempt: 2, leaveVoicemail: false });
    expect(plan('callback', ['voicemail', 'voicemail'])).toMatchObject({ attempt: 3, leaveVoicemail: true });
    expect(plan('callback', ['busy', 'busy', 'no-answer', 'no-answer'])).toMatchObject({
      attempt: 5,
      leaveVoicemail: true,
    });
    expect(plan('reminder', [])).toMatchObject({ attempt: 1, leaveVoicemail: true });
  });

  it('never plans past the ladder, never earlier than now, never back to a tried channel', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PURPOSES),
        fc.constantFrom(...CHANNELS),
        fc.array(
          fc.record({ gap: fc.integer({ min: 0, max: 600 }), outcome: fc.constantFrom(...ATTEMPT_OUTCOMES) }),
          {
            maxLength: 8,
          },
        ),
        fc.integer({ min: 0, max: 600 }),
        fc.subarray([...CHANNELS]),
        (kind, channel, steps, wait, channelsTried) => {
          let at = start;
          const attempts = steps.map(({ gap, outcome }) => {
            at += gap * 60_000;
            return { at: new Date(at).toISOString(), outcome };
          });
          const now = at + wait * 60_000;
          const ladder = ladders[kind];
          const result = planRetry(
            retryPlanInputSchema.parse({
              kind,
              channel,
              now: new Date(now).toISOString(),
              attempts,
              channelsTried,
            }),
            ladder,
          );
          if (result.action === 'attempt') {
            expect(result.attempt).toBe(attempts.length + 1);
            expect(result.attempt).toBeLessThanOrEqual(ladder.maxAttempts);
            expect(result.notBeforeEpochMs).toBeGreaterThanOrEqual(now);
            const last = steps.at(-1);
            if (last !== undefined) {
              const sameOutcome = steps.filter((step) => step.outcome === last.outcome).length;
              expect(sameOutcome).toBeLessThan(ladder.outcomes[last.outcome].maxAttempts);
            }
          } else if (result.action === 'fallback') {
            expect(result.channel).toBe(ladder.fallbackChannel);
            expect(result.channel).not.toBe(channel);
            expect(channelsTried).not.toContain(result.channel);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('every shipped ladder has a rung for every outcome and a delay for every retry it allows', () => {
    for (const kind of PURPOSES) {
      for (const outcome of ATTEMPT_OUTCOMES) {
        const rung = ladders[kind].outcomes[outcome];
        expect(rung.maxAttempts === 1 || rung.delaysMinutes.length > 0).toBe(true);
      }
    }
  });
});
