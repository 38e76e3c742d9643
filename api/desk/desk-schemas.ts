import { z } from 'zod';
import { agentIdSchema, agentPresenceSchema, agentSkillSchema, type SupervisorFilter } from '../../store';
import {
  dispositionSchema,
  raisePrioritySchema,
  rescheduleSchema,
} from '../../domain/callbacks/callback-update-inputs';

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

/** A page of a desk list: `?offset=0&limit=50`. */
export const deskPageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const callbackStates = [
  'deciding',
  'scheduled',
  'waiting-for-agent',
  'offered',
  'dialling',
  'on-call',
  'retry-wait',
  'fallback-sent',
] as const;

/** The supervisor's page of open callbacks, with its filters. */
export const deskSupervisorQuerySchema = deskPageQuerySchema.extend({
  state: z.enum(callbackStates).optional(),
  skill: agentSkillSchema.optional(),
  agent: agentIdSchema.optional(),
  olderThanMinutes: z.coerce.number().int().min(0).max(1_000_000).optional(),
});
export type DeskSupervisorQuery = z.output<typeof deskSupervisorQuerySchema>;

/** The supervisor's filters as the store reads them. */
export function supervisorFilterOf(query: DeskSupervisorQuery, now: number): SupervisorFilter {
  return {
    ...(query.state !== undefined ? { state: query.state } : {}),
    ...(query.skill !== undefined ? { skill: query.skill } : {}),
    ...(query.agent !== undefined ? { agentId: query.agent } : {}),
    ...(query.olderThanMinutes !== undefined && query.olderThanMinutes > 0
      ? { requestedBeforeMs: now - query.olderThanMinutes * 60_000 }
      : {}),
  };
}
