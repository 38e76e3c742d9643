import { z } from 'zod';

/**
 * When one reminder of a series goes out, relative to the appointment. `days` are calendar days
 * in the customer's zone (same wall-clock time), `hours` and `minutes` elapsed time; they add up:
 * `{ days: 1, hours: 2 }` is 2 hours before the same time the day before.
 */
export const reminderOffsetSchema = z
  .object({
    channel: z.enum(['sms', 'email']),
    days: z.number().int().min(0).max(60).default(0),
    hours: z
      .number()
      .int()
      .min(0)
      .max(23 * 60)
      .default(0),
    minutes: z.number().int().min(0).max(59).default(0),
    /**
     * What happens to this reminder once the customer has confirmed: `skip` (it only chased the
     * confirmation) or `send` (a plain "see you soon"). @default "skip"
     */
    whenConfirmed: z.enum(['skip', 'send']).default('skip'),
  })
  .refine((offset) => offset.days + offset.hours + offset.minutes > 0, {
    error: 'a reminder must come before the appointment: give days, hours or minutes above 0',
  });
export type ReminderOffset = z.output<typeof reminderOffsetSchema>;
export type ReminderOffsetInput = z.input<typeof reminderOffsetSchema>;

/**
 * The series a reminder gets when the caller names none: 2 days before by e-mail and 1 day before
 * by SMS, both asking for a confirmation; 2 hours before by SMS whether confirmed or not.
 */
export const defaultReminderOffsets: ReminderOffset[] = [
  { channel: 'email', days: 2, hours: 0, minutes: 0, whenConfirmed: 'skip' },
  { channel: 'sms', days: 1, hours: 0, minutes: 0, whenConfirmed: 'skip' },
  { channel: 'sms', days: 0, hours: 2, minutes: 0, whenConfirmed: 'send' },
];

/** Short label for people and the timeline, e.g. `2d-email`, `2h-sms`, `1d2h-sms`. */
export function offsetLabel(offset: ReminderOffset): string {
  const parts = [
    offset.days > 0 ? `${offset.days}d` : '',
    offset.hours > 0 ? `${offset.hours}h` : '',
    offset.minutes > 0 ? `${offset.minutes}m` : '',
  ];
  return `${parts.join('')}-${offset.channel}`;
}
