import fc from 'fast-check';
import { zoneOffsetMs } from '../../../domain/policy';
import { reminderOffsetSchema } from '../../../domain/reminders';
import { sameLocalTimeDaysBefore } from '../../../domain/reminders/local-calendar';
import { MOVE_STEP_MS, planReminders } from '../../../domain/reminders/plan-reminders';
import { zoneArb } from '../policy/support/arbitraries';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const from2026 = Date.parse('2026-01-01T00:00:00Z');

/** Local wall-clock minute of the day, read independently of the code under test. */
function localMinute(epochMs: number, zone: string): number {
  const local = new Date(epochMs + zoneOffsetMs(epochMs, zone));
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

const offsetArb = fc
  .record({
    channel: fc.constantFrom('sms' as const, 'email' as const),
    days: fc.integer({ min: 0, max: 3 }),
    hours: fc.integer({ min: 0, max: 30 }),
    minutes: fc.integer({ min: 0, max: 59 }),
  })
  .filter((offset) => offset.days + offset.hours + offset.minutes > 0)
  .map((offset) => reminderOffsetSchema.parse(offset));

describe('planReminders (properties)', () => {
  it('never plans a reminder after its own instant, before now or outside the window, and moves it at most the limit', () => {
    fc.assert(
      fc.property(
        zoneArb,
        fc.integer({ min: 0, max: 2 * 365 }),
        fc.integer({ min: 0, max: DAY - 1 }),
        fc.integer({ min: 0, max: 5 * DAY }),
        fc.array(offsetArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 0, max: 23 }),
        (zone, day, timeOfDay, lead, offsets, maxEarlierHours, windowStart) => {
          const appointmentMs = from2026 + day * DAY + timeOfDay;
          const nowMs = appointmentMs - lead;
          // A window of 9 local hours starting at windowStart (may wrap past midnight).
          const inside = (epochMs: number) =>
            (localMinute(epochMs, zone) - windowStart * 60 + 1_440) % 1_440 < 540;
          const planned = planReminders(
            { appointmentMs, nowMs, offsets, timeZone: zone, maxEarlierMs: maxEarlierHours * HOUR },
            (_channel, epochMs) => (inside(epochMs) ? { verdict: 'allowed' } : { verdict: 'not-yet' }),
          );
          expect(planned).toHaveLength(offsets.length);
          for (const reminder of planned) {
            const nominal = Date.parse(reminder.nominalAt);
            expect(nominal).toBeLessThan(appointmentMs);
            if (reminder.dueAt === undefined) {
              expect(reminder.skipped?.reason).toMatch(/^(past|no-allowed-time-before)$/);
              continue;
            }
            const due = Date.parse(reminder.dueAt);
            expect(due).toBeLessThanOrEqual(nominal);
            expect(due).toBeGreaterThanOrEqual(nowMs);
            expect(nominal - due).toBeLessThanOrEqual(maxEarlierHours * HOUR);
            expect((nominal - due) % MOVE_STEP_MS).toBe(0);
            expect(inside(due)).toBe(true);
            // The latest allowed step: the next step later was not allowed (or is the nominal itself).
            if (due < nominal) expect(inside(due + MOVE_STEP_MS)).toBe(false);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('keeps the wall-clock time for calendar-day offsets wherever the time exists on both days', () => {
    fc.assert(
      fc.property(
        zoneArb,
        fc.integer({ min: 0, max: 2 * 365 }),
        fc.integer({ min: 0, max: 95 }),
        fc.integer({ min: 1, max: 7 }),
        (zone, day, quarter, days) => {
          const appointmentMs = from2026 + day * DAY + quarter * 15 * 60_000;
          const before = sameLocalTimeDaysBefore(appointmentMs, days, zone);
          const elapsed = appointmentMs - before;
          // Within the zone's offset change over those days, a calendar day is 24 h.
          const shift = zoneOffsetMs(appointmentMs, zone) - zoneOffsetMs(before, zone);
          if (localMinute(before, zone) === localMinute(appointmentMs, zone)) {
            expect(elapsed).toBe(days * DAY - shift);
          } else {
            // Only a wall-clock time that does not exist that day (a DST gap) may read differently:
            // then it reads later by at most the gap, and the offset changes around it.
            const later = (localMinute(before, zone) - localMinute(appointmentMs, zone) + 1_440) % 1_440;
            expect(later).toBeGreaterThan(0);
            expect(later).toBeLessThanOrEqual(120);
            expect(zoneOffsetMs(before - DAY / 2, zone)).not.toBe(zoneOffsetMs(before + DAY / 2, zone));
          }
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
