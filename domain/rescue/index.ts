/** Survey rescue: the survey answer and what it gets. Pure: no clock, no I/O, no Temporal. */
export { surveyResponseSchema } from './survey-response';
export type { SurveyResponse, SurveyResponseInput } from './survey-response';
export { classifyScore, decideSurveyAction } from './classify-survey';
export type { SurveyAction, SurveyClass } from './classify-survey';
export { defaultRescueRules, rescueRulesSchema } from './rescue-rules';
export type { RescueRules } from './rescue-rules';
