import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import {
  contactRequestSchema,
  contactSchema,
  decideContact,
  instantSchema,
  type ContactPolicy,
} from '../../domain/policy';
import { reminderOffsetSchema, type PlannedReminder } from '../../domain/reminders';
import { planReminders } from '../../domain/reminders/plan-reminders';
import { type ReminderLinkSigner, signReminderLink } from './reminder-links';

export const planReminderSeriesInputSchema = z.object({
  appointmentId: z.string().min(1),
  appointmentAt: instantSchema,
  /** The workflow's clock: the plan must not depend on when the activity happens to run. */
  now: instantSchema,
  contact: contactSchema,
  offsets: z.array(reminderOffsetSchema).min(1),
  maxEarlierHours: z.number().min(0),
  locale: z.string().min(2),
});
export type PlanReminderSeriesInput = z.input<typeof planReminderSeriesInputSchema>;

export interface ReminderSeriesPlan {
  reminders: PlannedReminder[];
  /** The zone the series was read in. */
  timeZone: string;
  /** The appointment's local date and time in the customer's language, for the messages. */
  when: string;
  /** Signed confirm/cancel/reschedule links for the e-mail; absent when no signer is configured. */
  links?: { confirm: string; cancel: string; reschedule: string };
}

export interface ReminderPlanDeps {
  policy: ContactPolicy;
  links?: ReminderLinkSigner;
}

function formatWhen(epochMs: number, timeZone: string, locale: string): string {
  const options: Intl.DateTimeFormatOptions = {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  };
  try {
    return new Intl.DateTimeFormat(locale, options).format(epochMs);
  } catch {
    return new Intl.DateTimeFormat('en', options).format(epochMs);
  }
}

/**
 * Plans a reminder series against the calling windows (a local activity: the answer depends on
 * zone data and the rules file, so it is recorded in history for replay, like `decideContact`).
 * Opt-outs, caps and do-not-contact are asked again right before each send.
 */
export function createPlanReminderSeries(deps: ReminderPlanDeps) {
  return async function planReminderSeries(input: PlanReminderSeriesInput): Promise<ReminderSeriesPlan> {
    const parsed = planReminderSeriesInputSchema.safeParse(input);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(
        `planReminderSeries: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        'InvalidInput',
      );
    }
    const { contact, offsets, locale } = parsed.data;
    const appointmentMs = Date.parse(parsed.data.appointmentAt);
    const timeZone = contact.timeZone ?? contact.candidateTimeZones[0] ?? 'UTC';
    const reminders = planReminders(
      {
        appointmentMs,
        nowMs: Date.parse(parsed.data.now),
        offsets,
        timeZone,
        maxEarlierMs: parsed.data.maxEarlierHours * 3_600_000,
      },
      (channel, epochMs) => {
        const decision = decideContact(
          contactRequestSchema.parse({
            contact,
            channel,
            purpose: 'reminder',
            now: new Date(epochMs).toISOString(),
          }),
          deps.policy,
        );
        if (decision.verdict === 'never')
          return { verdict: 'never', detail: `${decision.reason}: ${decision.message}` };
        return { verdict: decision.verdict };
      },
    );
    const signer = deps.links;
    return {
      reminders,
      timeZone,
      when: formatWhen(appointmentMs, timeZone, locale),
      ...(signer
        ? {
            links: {
              confirm: signReminderLink(signer, parsed.data.appointmentId, 'confirm', appointmentMs),
              cancel: signReminderLink(signer, parsed.data.appointmentId, 'cancel', appointmentMs),
              reschedule: signReminderLink(signer, parsed.data.appointmentId, 'reschedule', appointmentMs),
            },
          }
        : {}),
    };
  };
}
