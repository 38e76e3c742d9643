import { z } from 'zod';
import { surveyScoreSchema } from '../callbacks/callback-request';
import { countryCodeSchema, instantSchema, timeZoneSchema } from '../policy/vocabulary';

/**
 * A survey answer as the survey tool reports it: the score, the interaction it rates (and the agent
 * who handled it), and the customer. The same `responseId` twice is one response.
 *
 * @example
 * { "responseId": "R-1042", "score": { "type": "nps", "score": 2 }, "comment": "waited 40 minutes",
 *   "interaction": { "id": "CA77", "queue": "billing", "agentId": "ana", "at": "2026-11-23T15:10:00Z" },
 *   "customer": { "phone": "+12125550123", "name": "Pat Doe", "tier": "gold", "language": "en" } }
 */
export const surveyResponseSchema = z.object({
  responseId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, {
      error: 'expected the survey tool id: letters, digits and . _ : - (1–100)',
    }),
  score: surveyScoreSchema.refine((score) => score.type === 'nps' || (score.score >= 1 && score.score <= 5), {
    error: 'a CSAT score is 1–5, an NPS score 0–10',
  }),
  comment: z.string().trim().max(2000).optional(),
  answeredAt: instantSchema.optional(),
  interaction: z.object({
    id: z.string().trim().min(1).max(128),
    queue: z.string().trim().min(1).max(128),
    /** The agent who handled the interaction: the score is recorded against them. */
    agentId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, { error: 'expected an agent id such as alice' })
      .optional(),
    at: instantSchema.optional(),
  }),
  customer: z
    .object({
      phone: z.string().trim().min(1).max(64).optional(),
      defaultCountry: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .optional(),
      email: z.email().optional(),
      name: z.string().trim().min(1).max(200).optional(),
      customerId: z.string().trim().min(1).max(128).optional(),
      tier: z.string().trim().min(1).max(64).optional(),
      language: z
        .string()
        .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'expected a BCP 47 language tag such as es' })
        .optional(),
      timeZone: timeZoneSchema.optional(),
      /**
       * ISO 3166-1 alpha-2 country whose contact rules apply (from the CRM); without it, the country of
       * the phone number. Every contact of the rescue (the call, the thank-you) carries it.
       */
      country: countryCodeSchema.optional(),
      /** Complaints on record in the last months (from the CRM): a repeat complaint is always rescued. */
      recentComplaints: z.number().int().min(0).max(1000).default(0),
    })
    .refine((customer) => customer.phone !== undefined || customer.email !== undefined, {
      error: 'a customer needs a phone or an e-mail address',
    }),
});
export type SurveyResponse = z.output<typeof surveyResponseSchema>;
export type SurveyResponseInput = z.input<typeof surveyResponseSchema>;
