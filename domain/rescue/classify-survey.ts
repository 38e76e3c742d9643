import type { RescueRules } from './rescue-rules';
import type { SurveyResponse } from './survey-response';

export type { RescueRules } from './rescue-rules';

/** Where an answer falls: NPS 0–6 / CSAT 1–2 detractor, NPS 7–8 / CSAT 3 passive, NPS 9–10 / CSAT 4–5 promoter. */
export type SurveyClass = 'detractor' | 'passive' | 'promoter';

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
