import {
  classifyReminderReply,
  defaultReminderOffsets,
  reminderOffsetSchema,
  type PolicyAnswer,
} from '../../../domain/reminders';
import { sameLocalTimeDaysBefore } from '../../../domain/reminders/local-calendar';
import { planReminders } from '../../../domain/reminders/plan-reminders';
import { zoneOffsetMs } from '../../../domain/policy';

const NY = 'America/New_York';
const HOUR = 3_600_000;

/** A policy that allows 08:00–21:00 New York time, the shipped US SMS window. */
function usDaytime(_channel: 'sms' | 'email', epochMs: number): PolicyAnswer {
  const local = new Date(epochMs + zoneOffsetMs(epochMs, NY));
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  return minutes >= 8 * 60 && minutes < 21 * 60 ? { verdict: 'allowed' } : { verdict: 'not-yet' };
}

describe('sameLocalTimeDaysBefore', () => {
  it('keeps the wall-clock time across the spring-forward night (23 elapsed hours)', () => {
    const monday10 = Date.parse('2027-03-15T14:00:00Z'); // 10:00 EDT
    expect(new Date(sameLocalTimeDaysBefore(monday10, 1, NY)).toISOString()).toBe('2027-03-14T14:00:00.000Z');
    expect(new Date(sameLocalTimeDaysBefore(monday10, 2, NY)).toISOString()).toBe('2027-03-13T15:00:00.000Z');
  });

  it('keeps the wall-clock time across the fall-back night (25 elapsed hours)', () => {
    const monday10 = Date.parse('2027-11-08T15:00:00Z'); // 10:00 EST, the day after fall-back
    expect(new Date(sameLocalTimeDaysBefore(monday10, 1, NY)).toISOString()).toBe('2027-11-07T15:00:00.000Z');
    expect(new Date(sameLocalTimeDaysBefore(monday10, 2, NY)).toISOString()).toBe('2027-11-06T14:00:00.000Z');
  });

  it('reads a time inside the spring-forward gap as the clock moved forward (02:30 → 03:30)', () => {
    const monday0230 = Date.parse('2027-03-15T06:30:00Z'); // 02:30 EDT
    expect(new Date(sameLocalTimeDaysBefore(monday0230, 1, NY)).toISOString()).toBe(
      '2027-03-14T07:30:00.000Z',
    );
  });
});

describe('planReminders', () => {
  const base = {
    appointmentMs: Date.parse('2027-03-15T14:00:00Z'),
    nowMs: Date.parse('2027-03-01T00:00:00Z'),
    offsets: defaultReminderOffsets,
    timeZone: NY,
    maxEarlierMs: 12 * HOUR,
  };

  it('plans the default series at the same local time 2 and 1 days before and 2 elapsed hours before', () => {
    expect(planReminders(base, usDaytime).map((r) => [r.label, r.dueAt])).toEqual([
      ['2d-email', '2027-03-13T15:00:00.000Z'],
      ['1d-sms', '2027-03-14T14:00:00.000Z'],
      ['2h-sms', '2027-03-15T12:00:00.000Z'],
    ]);
  });

  it('moves a night reminder earlier to the last allowed 5-minute step, never later', () => {
    const [reminder] = planReminders(
      {
        ...base,
        appointmentMs: Date.parse('2027-03-16T11:30:00Z'),
        offsets: [reminderOffsetSchema.parse({ channel: 'sms', hours: 2 })],
      },
      usDaytime,
    );
    expect(reminder).toMatchObject({
      nominalAt: '2027-03-16T09:30:00.000Z',
      dueAt: '2027-03-16T00:55:00.000Z',
      movedEarlierMinutes: 515,
    });
  });

  it('skips a reminder whose instant has passed, with the reason', () => {
    const planned = planReminders({ ...base, nowMs: Date.parse('2027-03-14T20:00:00Z') }, usDaytime);
    expect(planned.map((r) => [r.label, r.dueAt, r.skipped?.reason])).toEqual([
      ['2h-sms', '2027-03-15T12:00:00.000Z', undefined],
      ['2d-email', undefined, 'past'],
      ['1d-sms', undefined, 'past'],
    ]);
  });

  it('skips a reminder that finds no allowed instant within the move limit', () => {
    const [reminder] = planReminders(
      {
        ...base,
        appointmentMs: Date.parse('2027-03-16T11:30:00Z'),
        offsets: [reminderOffsetSchema.parse({ channel: 'sms', hours: 2 })],
        maxEarlierMs: 2 * HOUR,
      },
      usDaytime,
    );
    expect(reminder?.skipped?.reason).toBe('no-allowed-time-before');
  });

  it('never moves a reminder to before now', () => {
    const now = Date.parse('2027-03-16T02:00:00Z'); // 22:00 EDT, after the window closed
    const [reminder] = planReminders(
      {
        ...base,
        nowMs: now,
        appointmentMs: Date.parse('2027-03-16T11:30:00Z'),
        offsets: [reminderOffsetSchema.parse({ channel: 'sms', hours: 2 })],
      },
      usDaytime,
    );
    expect(reminder?.skipped?.reason).toBe('no-allowed-time-before');
  });

  it('skips a reminder the policy never allows, with the policy reason', () => {
    const [reminder] = planReminders({ ...base, offsets: [defaultReminderOffsets[0]!] }, () => ({
      verdict: 'never',
      detail: 'no-address: no e-mail address',
    }));
    expect(reminder?.skipped).toEqual({ reason: 'not-allowed', detail: 'no-address: no e-mail address' });
  });
});

describe('reminder offsets', () => {
  it('rejects an offset of zero, naming the rule', () => {
    const result = reminderOffsetSchema.safeParse({ channel: 'sms' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('must come before the appointment');
  });
});

describe('classifyReminderReply', () => {
  it.each([
    ['C', 'confirm'],
    [' c. ', 'confirm'],
    ['Sí', 'confirm'],
    ['N', 'cancel'],
    ['no', 'cancel'],
    ['R', 'reschedule'],
    ['cambiar', 'reschedule'],
    ['CANCEL', 'unknown'],
    ['can I come at 5?', 'unknown'],
  ])('reads %j as %s', (body, intent) => {
    expect(classifyReminderReply(body)).toBe(intent);
  });
});
