/** Survey rescue: the survey answer and what it gets. Pure: no clock, no I/O, no Temporal. */
export { surveyResponseSchema } from './survey-response';
export type { SurveyResponse, SurveyResponseInput } from './survey-response';
export { classifyScore, decideSurveyAction, defaultRescueRules, rescueRulesSchema } from './classify-survey';
export type { RescueRules, SurveyAction, SurveyClass } from './classify-survey';
