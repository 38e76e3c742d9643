import defaults from '../../../config/contact-policy.default.json';
import { parseContactPolicy } from '../../../config/contact-policy';
import { decide } from './support/policies';

const miami = { phone: '+13055550100', country: 'US', timeZone: 'America/New_York' };
const dallas = { phone: '+12145550100', country: 'US', timeZone: 'America/Chicago' };
const newYork = { phone: '+12125550100', country: 'US', timeZone: 'America/New_York' };
const tollFreeInNewYork = { phone: '+18005550100', country: 'US', timeZone: 'America/New_York' };

// A courtesy SMS defaults to marketing: the telephone-solicitation statutes apply.
const marketingSms = { channel: 'sms', purpose: 'courtesy' } as const;
const serviceSms = { channel: 'sms', purpose: 'reminder' } as const;

describe('US state rules for marketing calls and texts (the strictest applicable rule wins)', () => {
  it('refuses a Florida number at 20:30 its time, citing Florida’s statute and the area code', () => {
    // Wednesday 16 July 2025, 20:30 EDT.
    const decision = decide({ contact: miami, ...marketingSms, now: '2025-07-17T00:30:00Z' });
    expect(decision).toMatchObject({
      verdict: 'not-yet',
      reason: 'outside-calling-window',
      until: '2025-07-17T12:00:00.000Z',
    });
    expect(decision.message).toContain('Florida (US-FL) sms marketing window (every day 08:00–20:00');
    expect(decision.message).toContain('area code 305 is in Florida');
    expect(decision.sources).toEqual(
      expect.arrayContaining([expect.stringContaining('Fla. Stat. § 501.059(8)(a)')]),
    );
  });

  it('leaves service contact in Florida to the federal window', () => {
    const decision = decide({ contact: miami, ...serviceSms, now: '2025-07-17T00:30:00Z' });
    expect(decision.verdict).toBe('allowed');
  });

  it('keeps a New York number on the federal 08:00–21:00', () => {
    const decision = decide({ contact: newYork, ...marketingSms, now: '2025-07-17T00:30:00Z' });
    expect(decision).toMatchObject({ verdict: 'allowed', reason: 'inside-window' });
  });

  it.each([
    ['Saturday 08:30', '2025-07-19T13:30:00Z', 'not-yet', '2025-07-19T14:00:00.000Z'],
    ['Saturday 09:00', '2025-07-19T14:00:00Z', 'allowed', undefined],
    ['Saturday 20:59', '2025-07-20T01:59:00Z', 'allowed', undefined],
    ['Sunday 11:00', '2025-07-20T16:00:00Z', 'not-yet', '2025-07-20T17:00:00.000Z'],
    ['Sunday 12:00', '2025-07-20T17:00:00Z', 'allowed', undefined],
    ['Sunday 21:00', '2025-07-21T02:00:00Z', 'not-yet', '2025-07-21T14:00:00.000Z'],
  ])('calls a Dallas number on Texas hours: %s', (_label, now, verdict, until) => {
    const decision = decide({
      contact: dallas,
      channel: 'voice',
      purpose: 'courtesy',
      needsAgent: false,
      now,
    });
    expect(decision.verdict).toBe(verdict);
    if (until !== undefined) expect(decision).toMatchObject({ until });
    expect(decision.sources.join(' ')).toContain('Tex. Bus. & Com. Code § 301.051');
  });

  it('applies every state’s hours to a toll-free number, which may be in any of them', () => {
    // Sunday 20 July 2025, 11:30 EDT: Florida, Oklahoma and Washington allow it, Texas (noon) does not.
    const sunday = decide({ contact: tollFreeInNewYork, ...marketingSms, now: '2025-07-20T15:30:00Z' });
    expect(sunday).toMatchObject({ verdict: 'not-yet', until: '2025-07-20T16:00:00.000Z' });
    expect(sunday.message).toContain(
      'area code 800 is toll-free or non-geographic, so the number may be in Texas',
    );
    // Wednesday 20:30 EDT: past Florida's, Oklahoma's and Washington's 20:00.
    const evening = decide({ contact: tollFreeInNewYork, ...marketingSms, now: '2025-07-17T00:30:00Z' });
    expect(evening).toMatchObject({ verdict: 'not-yet', until: '2025-07-17T13:00:00.000Z' });
  });

  it('refuses a rules file with a state it has no area codes for', () => {
    const rules = structuredClone(defaults) as unknown as {
      countries: { US: { subdivisions: Record<string, unknown> } };
    };
    rules.countries.US.subdivisions.AL = {
      name: 'Alabama',
      overrides: [{ categories: ['marketing'], windows: [{ start: '08:00', end: '20:00' }] }],
    };
    expect(() => parseContactPolicy(rules, 'test rules')).toThrow(
      'countries.US.subdivisions.AL: no numbering data places numbers in US-AL',
    );
  });
});
