import { z } from 'zod';
import type { CallbackClient, CallbackTarget } from '../../client/callbacks';
import type { ContactStore } from '../../store';
import type { ZodRoutes } from '../agent-routes';
import { deskAuth, deskErrorResponses, identityOf } from './desk-auth';
import type { DeskHub } from './desk-hub';
import {
  deskCallbackParamsSchema,
  deskCancelBodySchema,
  deskPriorityBodySchema,
  deskReassignBodySchema,
  deskRescheduleBodySchema,
  deskSupervisorQuerySchema,
  supervisorFilterOf,
} from './desk-schemas';

export interface DeskSupervisorRouteDeps {
  store: ContactStore;
  callbacks: CallbackClient;
  hub: DeskHub;
}

const tags = ['agent desk'];
const errors = deskErrorResponses;
const anything = z.unknown();

/** The supervisor's side of the desk: every open callback, agents, today's counts, and the operations. */
export function registerDeskSupervisorRoutes(
  routes: ZodRoutes,
  { store, callbacks, hub }: DeskSupervisorRouteDeps,
): void {
  const onRequest = deskAuth(store, ['supervisor']);
  /** The timeline names the supervisor who acted. */
  const by = (subjectId: string) => `supervisor:${subjectId}`;

  routes.get(
    '/supervisor/view',
    {
      onRequest,
      schema: {
        summary:
          'One page of the open callbacks (filtered), agents and today’s counts (the event stream sends the same)',
        tags,
        querystring: deskSupervisorQuerySchema,
        response: { 200: anything, ...errors },
      },
    },
    async (request) => hub.supervisorView(supervisorFilterOf(request.query, Date.now()), request.query),
  );

  routes.get(
    '/supervisor/callbacks/:workflowId',
    {
      onRequest,
      schema: {
        summary: 'One callback: state, context, attempts, timeline',
        tags,
        params: deskCallbackParamsSchema,
        response: { 200: anything, ...errors },
      },
    },
    async (request) => callbacks.status({ workflowId: request.params.workflowId }),
  );

  const operation = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    run: (target: CallbackTarget, input: z.output<S>, supervisor: string) => Promise<unknown>,
  ) =>
    routes.post(
      `/supervisor/callbacks/:workflowId/${path}`,
      {
        onRequest,
        schema: {
          summary,
          tags,
          params: deskCallbackParamsSchema,
          body,
          response: { 200: anything, ...errors },
        },
      },
      async (request) => {
        const result = await run(
          { workflowId: request.params.workflowId },
          request.body as z.output<S>,
          by(identityOf(request).subjectId),
        );
        hub.poke();
        return { result };
      },
    );

  operation('cancel', 'Cancel with a reason', deskCancelBodySchema, (target, input, supervisor) =>
    callbacks.cancel(target, { by: supervisor, reason: input.reason }),
  );
  operation('reschedule', 'Not before a new time', deskRescheduleBodySchema, (target, input, supervisor) =>
    callbacks.reschedule(target, { by: supervisor, notBefore: input.notBefore }),
  );
  operation('reassign', 'Offer to this agent first', deskReassignBodySchema, (target, input, supervisor) =>
    callbacks.reassign(target, { by: supervisor, agentId: input.agentId }),
  );
  operation('priority', 'Raise the priority by points', deskPriorityBodySchema, (target, input, supervisor) =>
    callbacks.raisePriority(target, { by: supervisor, points: input.points }),
  );
}
