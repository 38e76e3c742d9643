import { z } from 'zod';
import { InvalidRequestError } from '../client/invalid-request';
import { callbackListFilterSchema, type CallbackClient, type CallbackTarget } from '../client/callbacks';
import { abandonEventSchema, scheduleCallbackSchema } from '../domain/callbacks';
import { agentIdSchema, type ContactStore } from '../store';
import {
  dispositionSchema,
  offerAnswerSchema,
  raisePrioritySchema,
  reassignSchema,
  rescheduleSchema,
  stopCallbackSchema,
} from '../domain/callbacks/callback-update-inputs';
import type { ZodRoutes } from './agent-routes';
import { apiErrorSchema } from './errors';

export interface CallbackRouteDeps {
  callbacks: CallbackClient;
  store: ContactStore;
}

const tags = ['callbacks'];
const errorResponses = { 400: apiErrorSchema, 401: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema };
const startedSchema = z.object({
  workflowId: z
    .string()
    .describe('callback-<keyed hash of the number>: the same for every abandon from the number'),
});
// The workflow's own shapes (CallbackStatus, CallbackListItem in client/): passed through, not re-validated.
const statusSchema = z.unknown().describe('CallbackStatus: state, context, attempts, timeline');
const stopResultSchema = z.object({
  stopped: z.boolean(),
  dialStarted: z.boolean().describe('false: this callback will never dial the customer'),
  outcome: z.string().optional(),
});
const paramsSchema = z.object({
  workflowId: z.string().regex(/^callback-[A-Za-z0-9_-]{8,80}$/, 'expected a callback id'),
});
const byPhoneSchema = stopCallbackSchema.extend({
  phone: z.string().trim().min(1).max(64),
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  tenant: z.string().min(1).max(128).optional(),
  queue: z.string().min(1).max(128).optional(),
});
const claimBodySchema = z.object({ agentId: agentIdSchema });

/**
 * Callbacks over HTTP: the webhook an ACD calls on abandon, scheduled callbacks, supervisor
 * operations, and the agent's claim, offer answer and disposition. The agent of a claim is read
 * from the store here, so a caller cannot claim with skills the agent does not have.
 */
export function registerCallbackRoutes(v1: ZodRoutes, { callbacks, store }: CallbackRouteDeps): void {
  v1.post(
    '/callbacks/abandoned',
    {
      schema: {
        summary: 'An abandoned call (the ACD webhook): starts the callback or joins the pending one',
        description:
          'Unknown keys are dropped, not refused. A withheld number is accepted; the run records why nobody was called.',
        tags,
        body: abandonEventSchema,
        response: { 202: startedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { workflowId } = await callbacks.requestCallback(request.body);
      return reply.code(202).send({ workflowId });
    },
  );

  v1.post(
    '/callbacks/scheduled',
    {
      schema: {
        summary: 'A callback at a chosen time (up to 45 days ahead); joins a pending one',
        tags,
        body: scheduleCallbackSchema,
        response: { 202: startedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { workflowId } = await callbacks.scheduleCallback(request.body);
      return reply.code(202).send({ workflowId });
    },
  );

  v1.post(
    '/callbacks/customer-reached-us',
    {
      schema: {
        summary:
          'The customer reached us another way (by number): the pending callback ends resolved-elsewhere',
        tags,
        body: byPhoneSchema,
        response: { 200: stopResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { phone, defaultCountry, tenant, queue, ...stop } = request.body;
      const target: CallbackTarget = {
        phone,
        ...(defaultCountry !== undefined ? { defaultCountry } : {}),
        ...(tenant !== undefined ? { tenant } : {}),
        ...(queue !== undefined ? { queue } : {}),
      };
      return callbacks.customerReachedUs(target, stop);
    },
  );

  v1.get(
    '/callbacks',
    {
      schema: {
        summary: 'Callbacks by state, skill, agent or customer (visibility; priority order)',
        tags,
        querystring: callbackListFilterSchema,
        response: {
          200: z.object({ callbacks: z.array(z.unknown()) }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ callbacks: await callbacks.list(request.query) }),
  );

  v1.get(
    '/callbacks/queue',
    {
      schema: {
        summary: 'Due callbacks waiting for an agent, in service order, with the agent holding each',
        tags,
        response: {
          200: z.object({ queue: z.array(z.unknown()) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ queue: await store.listCallbackQueue() }),
  );

  v1.get(
    '/callbacks/:workflowId',
    {
      schema: {
        summary: 'State, context, attempts and the timeline of one callback',
        tags,
        params: paramsSchema,
        response: { 200: statusSchema, ...errorResponses },
      },
    },
    async (request) => callbacks.status({ workflowId: request.params.workflowId }),
  );

  const operation = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    run: (target: CallbackTarget, input: z.output<S>) => Promise<unknown>,
  ) =>
    v1.post(
      `/callbacks/:workflowId/${path}`,
      {
        schema: {
          summary,
          tags,
          params: paramsSchema,
          body,
          response: { 200: z.unknown(), ...errorResponses },
        },
      },
      async (request) => run({ workflowId: request.params.workflowId }, request.body as z.output<S>),
    );

  operation(
    'customer-reached-us',
    'The customer reached us another way: ends resolved-elsewhere',
    stopCallbackSchema,
    (target, input) => callbacks.customerReachedUs(target, input),
  );
  operation('cancel', 'Cancel with a reason (supervisor)', stopCallbackSchema, (target, input) =>
    callbacks.cancel(target, input),
  );
  operation('reschedule', 'Not before a new time (supervisor)', rescheduleSchema, (target, input) =>
    callbacks.reschedule(target, input),
  );
  operation('reassign', 'Offer to this agent first (supervisor)', reassignSchema, (target, input) =>
    callbacks.reassign(target, input),
  );
  operation('priority', 'Raise the priority (supervisor)', raisePrioritySchema, (target, input) =>
    callbacks.raisePriority(target, input),
  );
  operation('offer-answer', "The offered agent's accept or reject", offerAnswerSchema, (target, input) =>
    callbacks.answerOffer(target, input),
  );
  operation('disposition', "The agent's disposition after the call", dispositionSchema, (target, input) =>
    callbacks.recordDisposition(target, input),
  );
  operation(
    'claim',
    'An agent claims the callback (exactly one wins)',
    claimBodySchema,
    async (target, input) => {
      const agent = await store.getAgent(input.agentId);
      if (agent === undefined)
        throw new InvalidRequestError([
          { field: 'body.agentId', rule: 'exists', message: `no agent with id ${input.agentId}` },
        ]);
      return callbacks.claim(target, {
        agentId: agent.id,
        name: agent.name,
        skills: [...agent.skills],
        languages: [...agent.languages],
        presence: agent.presence,
      });
    },
  );
}
