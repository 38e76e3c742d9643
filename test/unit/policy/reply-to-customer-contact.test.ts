import { decide, editedPolicy } from './support/policies';

// A New York customer who hung up in the queue at 23:30 local time (03:30Z in summer).
const newYork = { phone: '+12125550123', country: 'US', timeZone: 'America/New_York' };
const abandonedAt = '2025-07-16T03:30:00Z';
const acknowledgement = { contact: newYork, channel: 'sms', purpose: 'callback' } as const;

describe('replies to the customer’s own contact (rule replyToCustomerContact)', () => {
  it('lets the acknowledgement of a 23:30 abandon go at once, naming the rule', () => {
    const decision = decide({
      ...acknowledgement,
      now: '2025-07-16T03:30:20Z',
      customerContactAt: abandonedAt,
    });
    expect(decision).toMatchObject({
      verdict: 'allowed',
      reason: 'reply-to-customer-contact',
      openUntil: '2025-07-16T03:45:00.000Z',
    });
    expect(decision.message).toContain('replyToCustomerContact');
    expect(decision.message).toContain('15 minutes');
    expect(decision.message).toContain('outside the US sms service window');
    expect(decision.sources.join(' ')).toContain('within 15 minutes of their own call');
  });

  it('applies the normal window once the allowance has passed, and says so', () => {
    const decision = decide({
      ...acknowledgement,
      now: '2025-07-16T03:46:00Z',
      customerContactAt: abandonedAt,
    });
    expect(decision).toMatchObject({
      verdict: 'not-yet',
      reason: 'outside-calling-window',
      until: '2025-07-16T12:00:00.000Z',
    });
    expect(decision.message).toContain("The reply allowance (15 minutes after the customer's own contact");
  });

  it('never lifts marketing hours, nor opt-outs', () => {
    const marketing = decide({
      ...acknowledgement,
      category: 'marketing',
      now: '2025-07-16T03:31:00Z',
      customerContactAt: abandonedAt,
    });
    expect(marketing.verdict).toBe('not-yet');
    const stopped = decide({
      ...acknowledgement,
      now: '2025-07-16T03:31:00Z',
      customerContactAt: abandonedAt,
      optOuts: [{ channel: 'sms', source: 'sms-stop' }],
    });
    expect(stopped).toMatchObject({ verdict: 'never', reason: 'opted-out' });
  });

  it('is configurable: withinMinutes 0 turns it off, and a deployment may widen the channels', () => {
    const off = editedPolicy((rules) => {
      rules.replyToCustomerContact.withinMinutes = 0;
    });
    expect(
      decide({ ...acknowledgement, now: '2025-07-16T03:30:20Z', customerContactAt: abandonedAt }, off),
    ).toMatchObject({ verdict: 'not-yet', reason: 'outside-calling-window' });
    const voice = { ...acknowledgement, channel: 'voice', needsAgent: false } as const;
    expect(decide({ ...voice, now: '2025-07-16T03:30:20Z', customerContactAt: abandonedAt }).verdict).toBe(
      'not-yet',
    );
    const widened = editedPolicy((rules) => {
      rules.replyToCustomerContact.channels = ['sms', 'voice'];
    });
    expect(
      decide({ ...voice, now: '2025-07-16T03:30:20Z', customerContactAt: abandonedAt }, widened),
    ).toMatchObject({ verdict: 'allowed', reason: 'reply-to-customer-contact' });
  });

  it('does not need a zone while the allowance lasts, and refuses rather than guess UTC after it', () => {
    const noZone = { phone: '+4930123456', channel: 'sms', purpose: 'callback' } as const;
    const rules = editedPolicy((edited) => {
      edited.otherCountries.timeZones = [];
    });
    expect(
      decide(
        {
          contact: { phone: noZone.phone },
          ...noZone,
          now: '2025-07-16T03:31:00Z',
          customerContactAt: abandonedAt,
        },
        rules,
      ),
    ).toMatchObject({ verdict: 'allowed', reason: 'reply-to-customer-contact' });
    expect(
      decide(
        {
          contact: { phone: noZone.phone },
          ...noZone,
          now: '2025-07-16T04:31:00Z',
          customerContactAt: abandonedAt,
        },
        rules,
      ),
    ).toMatchObject({ verdict: 'never', reason: 'no-time-zone' });
  });

  it('ignores a customer contact in the future (a wrong clock opens nothing)', () => {
    const decision = decide({
      ...acknowledgement,
      now: '2025-07-16T03:30:00Z',
      customerContactAt: '2025-07-16T05:00:00Z',
    });
    expect(decision.verdict).toBe('not-yet');
  });
});
