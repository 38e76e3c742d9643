import { ApplicationFailure } from '@temporalio/common';
import { createContactPolicyActivities, type ContactHistorySource } from '../../../activities/contact-policy';
import { shippedPolicy } from './support/policies';

const madrid = { phone: '+34911234567', country: 'ES', timeZone: 'Europe/Madrid' };

describe('contact policy activities', () => {
  it('decides at the activity clock when the workflow leaves `now` out', async () => {
    const { decideContact } = createContactPolicyActivities({
      policy: shippedPolicy,
      clock: () => Date.parse('2025-01-07T20:00:00Z'),
    });
    expect(await decideContact({ contact: madrid, channel: 'voice', purpose: 'reminder' })).toMatchObject({
      verdict: 'not-yet',
      until: '2025-01-08T08:00:00.000Z',
    });
  });

  it('prefers the `now` the workflow passes', async () => {
    const { decideContact } = createContactPolicyActivities({ policy: shippedPolicy, clock: () => 0 });
    const decision = await decideContact({
      contact: madrid,
      channel: 'voice',
      purpose: 'reminder',
      now: '2025-01-07T10:00:00Z',
    });
    expect(decision.verdict).toBe('allowed');
  });

  it('merges opt-outs and the contact log from the history source', async () => {
    const lookups: { phone?: string; since: string }[] = [];
    const history: ContactHistorySource = {
      async lookup(contact, sinceEpochMs) {
        lookups.push({ phone: contact.phone, since: new Date(sinceEpochMs).toISOString() });
        return {
          optOuts: [{ channel: 'sms', source: 'sms-stop' }],
          doNotContact: false,
          contactLog: [
            { at: '2025-01-06T10:00:00Z', channel: 'voice', purpose: 'courtesy', category: 'marketing' },
          ],
        };
      },
    };
    const { decideContact } = createContactPolicyActivities({ policy: shippedPolicy, history });
    const now = '2025-01-07T10:00:00Z';
    expect(await decideContact({ contact: madrid, channel: 'sms', purpose: 'reminder', now })).toMatchObject({
      verdict: 'never',
      reason: 'opted-out',
    });
    expect(
      await decideContact({ contact: madrid, channel: 'voice', purpose: 'courtesy', needsAgent: false, now }),
    ).toMatchObject({ verdict: 'not-yet', reason: 'frequency-cap' });
    // The log is asked for as far back as the longest cap (30 days).
    expect(lookups[0]).toEqual({ phone: '+34911234567', since: '2024-12-08T10:00:00.000Z' });
  });

  it('fails a malformed request without retries, naming the bad field', async () => {
    const { decideContact } = createContactPolicyActivities({ policy: shippedPolicy });
    const attempt = decideContact({
      contact: { ...madrid, timeZone: 'Europe/Madird' },
      channel: 'fax' as never,
      purpose: 'reminder',
    });
    await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(attempt).rejects.toMatchObject({
      type: 'InvalidContactPolicyInput',
      nonRetryable: true,
      message: expect.stringMatching(
        /contact\.timeZone: expected an IANA time zone.*channel: Invalid option/,
      ),
    });
  });

  it('plans retries from the ladder for the outreach kind', async () => {
    const { planRetry } = createContactPolicyActivities({ policy: shippedPolicy });
    expect(
      await planRetry({
        kind: 'callback',
        channel: 'voice',
        now: '2025-01-07T10:00:30Z',
        attempts: [{ at: '2025-01-07T10:00:00Z', outcome: 'busy' }],
      }),
    ).toMatchObject({
      action: 'attempt',
      attempt: 2,
      notBefore: '2025-01-07T10:05:00.000Z',
      leaveVoicemail: false,
    });
  });

  it('scores priority with its breakdown', async () => {
    const { scorePriority } = createContactPolicyActivities({ policy: shippedPolicy });
    const score = await scorePriority({
      kind: 'callback',
      tier: 'gold',
      now: '2025-01-07T10:30:00Z',
      originalAbandonAt: '2025-01-07T10:00:00Z',
    });
    expect(score.score).toBe(35);
    expect(score.breakdown.map((factor) => factor.factor)).toEqual([
      'tier',
      'waited',
      'repeat-abandons',
      'rescue',
      'complaints',
    ]);
  });
});
