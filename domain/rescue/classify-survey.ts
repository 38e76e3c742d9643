import { z } from 'zod';
import type { SurveyResponse } from './survey-response';

/** Where an answer falls: NPS 0–6 / CSAT 1–2 detractor, NPS 7–8 / CSAT 3 passive, NPS 9–10 / CSAT 4–5 promoter. */
export type SurveyClass = 'detractor' | 'passive' | 'promoter';

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

export type SurveyAction =
  | { action: 'rescue'; reason: string }
  | { action: 'thank-you'; reason: string }
  | { action: 'none'; reason: string };

export function classifyScore(score: SurveyResponse['score']): SurveyClass {
  if (score.type === 'nps') return score.score <= 6 ? 'detractor' : score.score <= 8 ? 'passive' : 'promoter';
  return score.score <= 2 ? 'detractor' : score.score === 3 ? 'passive' : 'promoter';
}

/** What a survey answer gets, and why. Pure. */
export function decideSurveyAction(response: SurveyResponse, rules: RescueRules): SurveyAction {
  const scored = `${response.score.type.toUpperCase()} ${response.score.score}`;
  const klass = classifyScore(response.score);
  if (klass === 'promoter') {
    return rules.thankPromoters
      ? { action: 'thank-you', reason: `${scored}: a promoter is thanked.` }
      : { action: 'none', reason: `${scored}: a promoter; thank-you messages are off.` };
  }
  if (klass === 'passive') return { action: 'none', reason: `${scored}: a passive answer needs no contact.` };
  const tier = response.customer.tier;
  const tierRescued =
    rules.rescueTiers === 'all' ||
    (tier !== undefined && rules.rescueTiers.some((name) => name.toLowerCase() === tier.toLowerCase()));
  if (tierRescued)
    return {
      action: 'rescue',
      reason: `${scored}: a detractor${tier ? ` (${tier})` : ''} is called by the rescue desk.`,
    };
  if (response.customer.recentComplaints > 0) {
    return {
      action: 'rescue',
      reason: `${scored}: a detractor with a repeat complaint is called by the rescue desk.`,
    };
  }
  return {
    action: 'none',
    reason: `${scored}: a detractor of tier ${tier ?? 'none'}, not a rescue tier, no repeat complaint.`,
  };
}
