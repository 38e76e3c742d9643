import { placeCustomerTime } from '../../../domain/callbacks/place-customer-time';

// 2025-03-03 17:00 UTC: 09:00 in Los Angeles, 12:00 in New York.
const NOW = Date.parse('2025-03-03T17:00:00Z');

describe('placeCustomerTime', () => {
  it('reads 4 pm in the customer’s own zone', () => {
    expect(placeCustomerTime({ nowMs: NOW, hour: 16, minute: 0, zones: ['America/Los_Angeles'] })).toEqual({
      kind: 'placed',
      atMs: Date.parse('2025-03-04T00:00:00Z'),
    });
  });

  it('takes tomorrow’s when today’s has passed', () => {
    expect(placeCustomerTime({ nowMs: NOW, hour: 8, minute: 30, zones: ['America/New_York'] })).toEqual({
      kind: 'placed',
      atMs: Date.parse('2025-03-04T13:30:00Z'),
    });
  });

  it('places the time when every candidate zone means the same instant', () => {
    expect(
      placeCustomerTime({ nowMs: NOW, hour: 16, minute: 0, zones: ['America/New_York', 'America/Toronto'] }),
    ).toEqual({ kind: 'placed', atMs: Date.parse('2025-03-03T21:00:00Z') });
  });

  it('does not guess when the candidate zones disagree', () => {
    const placed = placeCustomerTime({
      nowMs: NOW,
      hour: 16,
      minute: 0,
      zones: ['America/New_York', 'America/Chicago'],
    });
    expect(placed).toEqual({
      kind: 'unclear',
      readings: [
        { timeZone: 'America/New_York', atMs: Date.parse('2025-03-03T21:00:00Z') },
        { timeZone: 'America/Chicago', atMs: Date.parse('2025-03-03T22:00:00Z') },
      ],
    });
  });

  it('does not fall back to any zone when none is known', () => {
    expect(placeCustomerTime({ nowMs: NOW, hour: 16, minute: 0, zones: [] })).toEqual({
      kind: 'unclear',
      readings: [],
    });
  });
});
