import { DateTime } from 'luxon';
import { instantOfLocalTime } from '../../../domain/policy/local-time';
import { localMidnight } from '../../../domain/kpi/kpi-period';
import { sameLocalTimeDaysBefore } from '../../../domain/reminders/local-calendar';
import { nextLocalTime } from '../../../domain/callbacks/place-customer-time';

const NY = 'America/New_York';
const LORD_HOWE = 'Australia/Lord_Howe'; // +10:30, +11:00 in summer: DST of half an hour
const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/**
 * The wall-clock rules the code documents (a repeated time is its first pass, a skipped one is read with
 * the offset before the gap) at the DST edges where luxon on its own answers differently or could.
 */
describe('wall-clock times at DST edges (luxon, first pass of a repeated time)', () => {
  it('reads 01:30 on the New York fall-back night as its first pass (EDT), as luxon alone may not', () => {
    expect(iso(instantOfLocalTime(Date.UTC(2025, 10, 2, 1, 30), NY))).toBe('2025-11-02T05:30:00.000Z');
    // luxon keeps the offset it starts from: from a standard-time instant it lands on the second pass.
    const mondayEst = DateTime.fromMillis(Date.parse('2025-11-03T06:30:00Z'), { zone: NY });
    expect(mondayEst.minus({ days: 1 }).toUTC().toISO()).toBe('2025-11-02T06:30:00.000Z');
    expect(iso(sameLocalTimeDaysBefore(mondayEst.toMillis(), 1, NY))).toBe('2025-11-02T05:30:00.000Z');
  });

  it('reads 02:30 inside the New York spring-forward gap with the offset before it (03:30 EDT)', () => {
    expect(iso(instantOfLocalTime(Date.UTC(2025, 2, 9, 2, 30), NY))).toBe('2025-03-09T07:30:00.000Z');
  });

  it('handles Lord Howe’s half-hour DST: a 30-minute gap and a 30-minute overlap', () => {
    // 5 October 2025: 02:00 → 02:30. 02:15 reads at +10:30, i.e. 02:45 on the new clock.
    expect(iso(instantOfLocalTime(Date.UTC(2025, 9, 5, 2, 15), LORD_HOWE))).toBe('2025-10-04T15:45:00.000Z');
    // 6 April 2025: 02:00 → 01:30, so 01:45 happens at +11:00 and again at +10:30.
    expect(iso(instantOfLocalTime(Date.UTC(2025, 3, 6, 1, 45), LORD_HOWE))).toBe('2025-04-05T14:45:00.000Z');
    const nextDay = Date.parse('2025-04-06T15:15:00Z'); // Monday 7 April 01:45 (+10:30)
    expect(DateTime.fromMillis(nextDay, { zone: LORD_HOWE }).minus({ days: 1 }).toUTC().toISO()).toBe(
      '2025-04-05T15:15:00.000Z',
    );
    expect(iso(sameLocalTimeDaysBefore(nextDay, 1, LORD_HOWE))).toBe('2025-04-05T14:45:00.000Z');
  });

  it('moves by whole days in a zone with no DST (Asia/Kolkata, +05:30)', () => {
    expect(iso(instantOfLocalTime(Date.UTC(2025, 2, 9, 9, 0), 'Asia/Kolkata'))).toBe(
      '2025-03-09T03:30:00.000Z',
    );
    expect(iso(sameLocalTimeDaysBefore(Date.parse('2025-03-09T03:30:00Z'), 40, 'Asia/Kolkata'))).toBe(
      '2025-01-28T03:30:00.000Z',
    );
  });

  it('starts a day the clock enters at 01:00 at 01:00 (Santiago skips midnight on 7 September 2025)', () => {
    expect(iso(localMidnight('2025-09-07', 'America/Santiago'))).toBe('2025-09-07T04:00:00.000Z');
    expect(iso(localMidnight('2025-09-06', 'America/Santiago'))).toBe('2025-09-06T04:00:00.000Z');
  });

  it('finds the next 01:30 on the fall-back night at its first pass; from inside the second pass, the next day’s', () => {
    const beforeFirstPass = Date.parse('2025-11-02T05:00:00Z'); // 01:00 EDT
    expect(iso(nextLocalTime(beforeFirstPass, 1, 30, NY))).toBe('2025-11-02T05:30:00.000Z');
    const duringSecondPass = Date.parse('2025-11-02T06:15:00Z'); // 01:15 EST
    expect(iso(nextLocalTime(duringSecondPass, 1, 30, NY))).toBe('2025-11-03T06:30:00.000Z');
  });

  it('refuses a zone the zone data does not know', () => {
    expect(() => instantOfLocalTime(Date.UTC(2025, 0, 1), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
