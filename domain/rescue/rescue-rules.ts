import { z } from 'zod';

/** What the rescue flow does with survey answers; a schema of its own so the pure classification stays zod-free. */
export const rescueRulesSchema = z
  .object({
    /**
     * Tiers whose detractors are always called by the rescue desk; `all` for every tier. Detractors of
     * other tiers are rescued on a repeat complaint.
     * @default 'all'
     */
    rescueTiers: z.union([z.literal('all'), z.array(z.string().min(1))]).default('all'),
    /** The rescue desk's agent skill. @default 'rescue' */
    skill: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._:-]{0,63}$/)
      .default('rescue'),
    /** Promoters get a thank-you message (policy-checked and capped as a courtesy contact). @default true */
    thankPromoters: z.boolean().default(true),
    /** Hours within which the rescue callback may be made. @default 48 */
    callbackTtlHours: z.number().min(1).max(720).default(48),
  })
  .strict();
export type RescueRules = z.output<typeof rescueRulesSchema>;
export const defaultRescueRules: RescueRules = rescueRulesSchema.parse({});
