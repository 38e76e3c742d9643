import { MS_PER_MINUTE } from '../policy/civil-date';
import { nominalDueMs } from './local-calendar';
import { offsetLabel, type ReminderOffset } from './reminder-offset';

/** Why a reminder of the series will not go out. */
export type ReminderSkipReason =
  /** Its instant had passed when the series was planned (a late booking, a reschedule). */
  | 'past'
  /** No allowed instant between its own and `maxEarlierHours` before it (or now). */
  | 'no-allowed-time-before'
  /** The policy never allows this contact (no address, do-not-contact, opted out, …). */
  | 'not-allowed'
  /** The customer confirmed and this reminder only chased the confirmation. */
  | 'confirmed'
  /** The customer asked for another time; an agent is to call them. */
  | 'reschedule-requested'
  /** The policy made it wait past the appointment. */
  | 'cannot-deliver-in-time'
  /** The appointment was cancelled before it was due. */
  | 'cancelled';

export interface PlannedReminder {
  /** Stable within one appointment time, e.g. `1:1d-sms`. */
  key: string;
  label: string;
  channel: 'sms' | 'email';
  whenConfirmed: 'skip' | 'send';
  /** The instant the offset names, ISO UTC. */
  nominalAt: string;
  /** When it goes out: the nominal instant or the latest allowed one before it. */
  dueAt?: string;
  /** How far it was moved earlier to stay inside the calling window. */
  movedEarlierMinutes?: number;
  skipped?: { reason: ReminderSkipReason; detail: string };
}

/** The policy's answer for one channel at one instant, as the planner needs it. */
export type PolicyAnswer =
  { verdict: 'allowed' } | { verdict: 'not-yet' } | { verdict: 'never'; detail: string };

export interface PlanRemindersInput {
  appointmentMs: number;
  nowMs: number;
  offsets: readonly ReminderOffset[];
  /** The customer's zone: calendar-day offsets are read on their wall clock. */
  timeZone: string;
  /** How far a reminder may move earlier to find an allowed instant. */
  maxEarlierMs: number;
}

/** Reminders move earlier in steps of this size, so a moved one lands on a round-ish time. */
export const MOVE_STEP_MS = 5 * MS_PER_MINUTE;

/**
 * When each reminder of a series goes out. A reminder whose instant is outside the calling window
 * moves earlier, in 5-minute steps, to the latest allowed instant — never later, where it could
 * land after the appointment or too close to it to be useful. One whose instant has passed, or
 * that finds no allowed instant within `maxEarlierMs`, is skipped with the reason. Sorted by due
 * time, skipped ones last. Pure: the policy comes in as `policyAt`.
 */
export function planReminders(
  input: PlanRemindersInput,
  policyAt: (channel: 'sms' | 'email', epochMs: number) => PolicyAnswer,
): PlannedReminder[] {
  const planned = input.offsets.map((offset, index): PlannedReminder => {
    const label = offsetLabel(offset);
    const nominal = nominalDueMs(input.appointmentMs, offset, input.timeZone);
    const base = {
      key: `${index}:${label}`,
      label,
      channel: offset.channel,
      whenConfirmed: offset.whenConfirmed,
      nominalAt: new Date(nominal).toISOString(),
    };
    if (nominal < input.nowMs) {
      return {
        ...base,
        skipped: { reason: 'past', detail: 'its time had passed when the series was planned' },
      };
    }
    const earliest = Math.max(input.nowMs, nominal - input.maxEarlierMs);
    for (let candidate = nominal; candidate >= earliest; candidate -= MOVE_STEP_MS) {
      const answer = policyAt(offset.channel, candidate);
      if (answer.verdict === 'never')
        return { ...base, skipped: { reason: 'not-allowed', detail: answer.detail } };
      if (answer.verdict === 'allowed') {
        return {
          ...base,
          dueAt: new Date(candidate).toISOString(),
          ...(candidate < nominal ? { movedEarlierMinutes: (nominal - candidate) / MS_PER_MINUTE } : {}),
        };
      }
    }
    return {
      ...base,
      skipped: {
        reason: 'no-allowed-time-before',
        detail: `no allowed instant in the ${Math.round((nominal - earliest) / MS_PER_MINUTE)} minutes before it`,
      },
    };
  });
  const order = (reminder: PlannedReminder) =>
    reminder.dueAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(reminder.dueAt);
  return planned.sort((a, b) => order(a) - order(b));
}
