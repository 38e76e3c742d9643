import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { instantSchema, timeZoneSchema } from '../../domain/policy';
import { nextYearlyOutreach } from '../../domain/courtesy/yearly-occasion';

export const planYearlyOutreachInputSchema = z.object({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  daysBefore: z.number().int().min(0),
  localTime: z.string().regex(/^\d{2}:\d{2}$/),
  /** Every zone the customer may be in (the contact policy's zones for them); never a guessed UTC. */
  timeZones: z.array(timeZoneSchema).min(1).optional(),
  /** One zone: how runs started before `courtesy-every-zone` asked. */
  timeZone: timeZoneSchema.optional(),
  /** The workflow's clock: the next outreach strictly after it. */
  after: instantSchema,
  locale: z.string().min(2),
});
export type PlanYearlyOutreachInput = z.input<typeof planYearlyOutreachInputSchema>;

export interface YearlyOutreachPlan {
  outreachAt: string;
  occasionDate: string;
  year: number;
  /** The occasion's date in the customer's language, e.g. "June 20". */
  dateText: string;
}

/**
 * The next outreach of a yearly occasion. A local activity, not workflow code: the answer depends
 * on the zone data, which can change between a run and its replay; the recorded result cannot.
 */
export async function planYearlyOutreach(input: PlanYearlyOutreachInput): Promise<YearlyOutreachPlan> {
  const parsed = planYearlyOutreachInputSchema.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`planYearlyOutreach: ${parsed.error.message}`, 'InvalidInput');
  }
  const { after, locale, timeZone, timeZones, ...occasion } = parsed.data;
  const zones = timeZones ?? (timeZone !== undefined ? [timeZone] : []);
  if (zones.length === 0) {
    throw ApplicationFailure.nonRetryable('planYearlyOutreach: no time zone to plan in', 'InvalidInput');
  }
  const next = nextYearlyOutreach({ ...occasion, timeZones: zones }, Date.parse(after));
  const noonUtc = Date.parse(`${next.occasionDate}T12:00:00Z`);
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', day: 'numeric', month: 'long' };
  let dateText: string;
  try {
    dateText = new Intl.DateTimeFormat(locale, options).format(noonUtc);
  } catch {
    dateText = new Intl.DateTimeFormat('en', options).format(noonUtc);
  }
  return {
    outreachAt: new Date(next.outreachMs).toISOString(),
    occasionDate: next.occasionDate,
    year: next.year,
    dateText,
  };
}
