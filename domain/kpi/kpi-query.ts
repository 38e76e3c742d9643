import { z } from 'zod';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const localDateSchema = z
  .string()
  .regex(LOCAL_DATE, 'a date YYYY-MM-DD')
  .refine((date) => !LOCAL_DATE.test(date) || isCalendarDay(date), { message: 'not a day of the calendar' });

/** 2026-02-30 matches the pattern but is no day: Date rolls it over (or gives up on 2026-13-45). */
function isCalendarDay(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

/** What a KPI report is asked for: a period of the centre's calendar and optional filters. */
export const kpiQuerySchema = z
  .object({
    /** First day of the period (inclusive), in the centre's time zone. */
    from: localDateSchema,
    /** Day after the period (exclusive), in the centre's time zone. */
    to: localDateSchema,
    /** Only callbacks of this queue (surveys, courtesy and notices have no queue: unaffected). */
    queue: z.string().min(1).max(200).optional(),
    /** Only callbacks this agent claimed last, offers made to them and their survey scores. */
    agent: z.string().min(1).max(200).optional(),
    /** Only callbacks requested for this tenant (the request's `tenant`); other figures have none. */
    tenant: z.string().min(1).max(128).optional(),
  })
  // Only two well-formed dates are compared: a malformed one is already named by its own field.
  .refine((query) => !LOCAL_DATE.test(query.from) || !LOCAL_DATE.test(query.to) || query.from < query.to, {
    path: ['to'],
    message: 'must be after from',
  });
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

/** The money and windows the figures use (README: configuration). */
export const kpiSettingsSchema = z.object({
  /** IANA zone the period's days are read in: the centre's. */
  timeZone: z.string().min(1),
  /**
   * What one answered call is worth to the centre (KPI_VALUE_PER_ANSWERED_CALL): the value a
   * recovered caller brings back. docs/kpi.md explains the default.
   * @default 5
   */
  valuePerAnsweredCall: z.number().nonnegative().default(5),
  /** Days after a resolved callback in which the customer coming back counts as a re-contact. @default 7 */
  recontactDays: z.number().int().min(1).max(90).default(7),
  /**
   * Price of one SMS segment (KPI_SMS_PRICE_PER_SEGMENT), in the value's currency, used when the
   * provider reports no price. @default 0.0083
   */
  smsPricePerSegment: z.number().nonnegative().default(0.0083),
  /**
   * Price of one started minute of a call (KPI_CALL_PRICE_PER_MINUTE), when the provider reports no
   * price. A bridged callback is two legs (agent, customer): price both. @default 0.028
   */
  callPricePerMinute: z.number().nonnegative().default(0.028),
});
export type KpiSettings = z.output<typeof kpiSettingsSchema>;
export type KpiSettingsInput = z.input<typeof kpiSettingsSchema>;
