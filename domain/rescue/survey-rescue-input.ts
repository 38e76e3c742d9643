import { z } from 'zod';
import { callbackRequestSchema } from '../callbacks/callback-request';
import { countryCodeSchema } from '../policy/vocabulary';
import { rescueRulesSchema } from './rescue-rules';
import { surveyResponseSchema } from './survey-response';

/** What the client hands the run: the response, the rules in force, and what it derived (hash, number). */
export const surveyRescueInputSchema = z.object({
  response: surveyResponseSchema,
  rules: rescueRulesSchema,
  customerKey: z.string().min(1),
  /** E.164, normalised by the client. */
  phone: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/)
    .optional(),
  /** The country whose contact rules apply (the customer's, else the number's), for the thank-you too. */
  country: countryCodeSchema.optional(),
  /** The customer's callback run (the same id an abandon from the number would use). */
  callbackWorkflowId: z.string().min(1),
  /** The rescue callback, prepared by the client (origin `rescue`, the rescue desk's skill). */
  callback: callbackRequestSchema.optional(),
  /** Who is alerted about a rescue. */
  supervisorEmail: z.email().optional(),
});
export type SurveyRescueInput = z.input<typeof surveyRescueInputSchema>;
