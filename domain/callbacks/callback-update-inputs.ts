import { z } from 'zod';
import { instantSchema } from '../policy/vocabulary';
import { callbackAgentIdSchema } from './callback-request';

// The arguments of a callback run's updates (workflows/callback-messages.ts), validated by the API and
// the client before sending and by the run's validators before accepting.

/** The agent as the store knows them, passed by the API (which reads the store) with a claim. */
export const claimingAgentSchema = z.object({
  agentId: callbackAgentIdSchema,
  name: z.string().min(1).max(200),
  skills: z.array(z.string()).max(100),
  languages: z.array(z.string()).max(50),
  presence: z.enum(['available', 'busy', 'away', 'offline']),
});
export type ClaimingAgent = z.infer<typeof claimingAgentSchema>;

export const offerAnswerSchema = z.object({
  agentId: callbackAgentIdSchema,
  answer: z.enum(['accept', 'reject']),
});
export type OfferAnswer = z.infer<typeof offerAnswerSchema>;

export const stopCallbackSchema = z.object({
  /** Who or what stops it: `acd`, `crm`, a supervisor's id. */
  by: z.string().min(1).max(200).default('client'),
  reason: z.string().min(1).max(500).optional(),
  /** The channel the customer reached us on (customer reached us only). */
  channel: z.string().min(1).max(50).optional(),
});
export type StopCallbackInput = z.input<typeof stopCallbackSchema>;

export const rescheduleSchema = z.object({
  notBefore: instantSchema,
  by: z.string().min(1).max(200).default('client'),
});
export type RescheduleInput = z.input<typeof rescheduleSchema>;

export const reassignSchema = z.object({
  agentId: callbackAgentIdSchema,
  by: z.string().min(1).max(200).default('client'),
});
export type ReassignInput = z.input<typeof reassignSchema>;

export const raisePrioritySchema = z.object({
  points: z.number().int().min(1).max(1000),
  by: z.string().min(1).max(200).default('client'),
});
export type RaisePriorityInput = z.input<typeof raisePrioritySchema>;

export const dispositionSchema = z
  .object({
    agentId: callbackAgentIdSchema,
    /**
     * - `resolved`: the customer's need is met.
     * - `follow-up`: call again at `followUpAt` (a new scheduled callback, same agent preferred).
     * - `wrong-number`: the number does not belong to the customer.
     * - `not-interested`: the customer did not want the call.
     * - `voicemail-left`, `no-answer`: nobody was reached after all (detection missed it): the retry ladder goes on.
     */
    disposition: z.enum([
      'resolved',
      'follow-up',
      'wrong-number',
      'not-interested',
      'voicemail-left',
      'no-answer',
    ]),
    followUpAt: instantSchema.optional(),
    notes: z.string().max(2000).optional(),
  })
  .refine((value) => value.disposition !== 'follow-up' || value.followUpAt !== undefined, {
    error: 'a follow-up needs followUpAt',
    path: ['followUpAt'],
  });
export type DispositionInput = z.input<typeof dispositionSchema>;
