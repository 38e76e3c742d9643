import { z } from 'zod';

const localDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

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
  })
  .refine((query) => query.from < query.to, { path: ['to'], message: 'must be after from' });
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
});
export type KpiSettings = z.output<typeof kpiSettingsSchema>;
export type KpiSettingsInput = z.input<typeof kpiSettingsSchema>;
