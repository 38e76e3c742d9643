import { z } from 'zod';
import { agentIdSchema, agentPresenceSchema } from '../../store';
import { dispositionSchema, raisePrioritySchema, rescheduleSchema } from '../../workflows/callback-messages';

/** The desk's request shapes. The agent and the supervisor come from the token, never from a body. */
export const deskCallbackParamsSchema = z.object({
  workflowId: z.string().regex(/^callback-[A-Za-z0-9_-]{8,80}$/, 'expected a callback id'),
});

export const deskPresenceBodySchema = z.object({ presence: agentPresenceSchema });

export const deskDispositionBodySchema = z
  .object({
    disposition: dispositionSchema.shape.disposition,
    followUpAt: dispositionSchema.shape.followUpAt,
    notes: dispositionSchema.shape.notes,
  })
  .refine((value) => value.disposition !== 'follow-up' || value.followUpAt !== undefined, {
    error: 'a follow-up needs followUpAt',
    path: ['followUpAt'],
  });

export const deskCancelBodySchema = z.object({ reason: z.string().trim().min(1).max(500) });
export const deskRescheduleBodySchema = z.object({ notBefore: rescheduleSchema.shape.notBefore });
export const deskReassignBodySchema = z.object({ agentId: agentIdSchema });
export const deskPriorityBodySchema = z.object({ points: raisePrioritySchema.shape.points });
