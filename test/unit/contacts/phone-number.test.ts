import { normalisePhoneNumber } from '../../../domain/phone-number';
import { zonesForNumber } from '../../../activities/contacts/zones-for-number';

describe('phone numbers', () => {
  it('normalises what callers type to E.164', () => {
    expect(normalisePhoneNumber('+1 (310) 555-1234')).toMatchObject({ e164: '+13105551234', country: 'US' });
    expect(normalisePhoneNumber('912 34 56 78', 'ES')).toMatchObject({ e164: '+34912345678', country: 'ES' });
    expect(normalisePhoneNumber('06 12 34 56 78', 'FR')).toMatchObject({
      e164: '+33612345678',
      type: 'mobile',
    });
  });

  it('rejects what is not a valid number', () => {
    expect(normalisePhoneNumber('12')).toBeUndefined();
    expect(normalisePhoneNumber('not a number')).toBeUndefined();
    expect(normalisePhoneNumber('912345678')).toBeUndefined(); // national format without a country
  });

  it('knows the zones a number can be in: one for a Los Angeles line, all of North America for toll-free', async () => {
    expect(await zonesForNumber('+13105551234')).toEqual(['America/Los_Angeles']);
    expect(await zonesForNumber('+34912345678')).toEqual(['Europe/Madrid']);
    const tollFree = await zonesForNumber('+18005550100');
    expect(tollFree).toEqual(
      expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu']),
    );
  });
});
