import { z } from 'zod';
import { EARLIEST_SUPPORTED_MS, LATEST_SUPPORTED_MS, isKnownTimeZone } from './zone-offset';

/** How we reach the person. */
export const channelSchema = z.enum(['voice', 'sms', 'email']);
export type Channel = z.infer<typeof channelSchema>;
export const CHANNELS = channelSchema.options;

/** Why we reach out: every outbound touch has exactly one purpose, and it doubles as the outreach kind. */
export const purposeSchema = z.enum(['callback', 'reminder', 'rescue', 'courtesy', 'notice']);
export type Purpose = z.infer<typeof purposeSchema>;
export const PURPOSES = purposeSchema.options;

/** Consumer law treats selling (marketing) differently from serving an existing relationship (service). */
export const categorySchema = z.enum(['service', 'marketing']);
export type Category = z.infer<typeof categorySchema>;
export const CATEGORIES = categorySchema.options;

/** How an unsuccessful attempt ended; each has its own rung on the retry ladder. */
export const attemptOutcomeSchema = z.enum(['busy', 'no-answer', 'voicemail', 'failed', 'invalid']);
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;
export const ATTEMPT_OUTCOMES = attemptOutcomeSchema.options;

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** IANA zone name the runtime's zone data knows, e.g. `Europe/Madrid`. */
export const timeZoneSchema = z
  .string()
  .refine(isKnownTimeZone, { error: 'expected an IANA time zone such as Europe/Madrid' });

/** ISO 3166-1 alpha-2 country code, upper case. */
export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'expected an ISO 3166-1 alpha-2 country code such as ES' });

/** An instant as an ISO 8601 string with an offset (`2025-01-06T09:00:00Z`); never a local time. */
export const instantSchema = z.iso
  .datetime({ offset: true, error: 'expected an ISO 8601 instant with an offset, e.g. 2025-01-06T09:00:00Z' })
  .refine(
    (text) => {
      const epochMs = Date.parse(text);
      return epochMs >= EARLIEST_SUPPORTED_MS && epochMs <= LATEST_SUPPORTED_MS;
    },
    { error: 'expected an instant between the years 1000 and 9999' },
  );

/** Epoch milliseconds of a validated ISO instant (it carries an offset, so parsing is not locale-dependent). */
export function toEpochMs(instant: string): number {
  return Date.parse(instant);
}

/** ISO string of an instant, always in UTC (`Z`). */
export function toInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
