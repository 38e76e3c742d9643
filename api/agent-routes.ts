import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agentFilterSchema,
  agentIdSchema,
  agentPresenceSchema,
  upsertAgentInputSchema,
  ContactStoreNotFoundError,
  type Agent,
  type ContactStore,
} from '../store';
import { agentNotFound, apiErrorSchema } from './errors';

/** The `/v1` scope with zod schemas; what `buildApiServer` hands to route modules. */
export type ZodRoutes = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface AgentRouteDeps {
  store: ContactStore;
  /** Runs after an agent becomes available: the callback dispatcher offers them a waiting callback. */
  onAvailable?: () => Promise<void>;
}

/** An agent as the API returns them; times are epoch milliseconds, like the contact store's. */
export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().describe('E.164 number, `client:<identity>` or `sip:<user>@<host>`'),
  skills: z.array(z.string()),
  languages: z.array(z.string()).describe('Canonical BCP 47 tags'),
  presence: agentPresenceSchema,
  presenceChangedAt: z.number().int().describe('Epoch ms of the last change of presence'),
  presenceNote: z
    .string()
    .optional()
    .describe(
      'Why the system took the agent out of rotation (their phone failed); cleared when presence is set again',
    ),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

/** The server stamps the time: a caller's clock does not decide who has waited longest. */
const agentBodySchema = upsertAgentInputSchema.omit({ at: true });
const agentParamsSchema = z.object({ id: agentIdSchema });
const presenceBodySchema = z.object({ presence: agentPresenceSchema });

const errorResponses = { 400: apiErrorSchema, 401: apiErrorSchema };
const tags = ['agents'];

function toResponse(agent: Agent): z.infer<typeof agentSchema> {
  return { ...agent, skills: [...agent.skills], languages: [...agent.languages] };
}

/**
 * The agent directory over HTTP: administrators create agents, the agent desk (or the ACD)
 * reports presence. Callbacks read the same store to find an available agent.
 */
export function registerAgentRoutes(v1: ZodRoutes, { store, onAvailable }: AgentRouteDeps): void {
  v1.post(
    '/agents',
    {
      schema: {
        summary: 'Create or replace an agent (presence kept unless given; new agents start offline)',
        tags,
        body: agentBodySchema,
        response: { 200: agentSchema, ...errorResponses },
      },
    },
    async (request) => {
      const agent = await store.upsertAgent({ ...request.body, at: Date.now() });
      // An agent created (or replaced) as available is offered a waiting callback at once, as a
      // presence change to available is.
      if (agent.presence === 'available') await onAvailable?.();
      return toResponse(agent);
    },
  );

  v1.get(
    '/agents',
    {
      schema: {
        summary: 'List agents by id, optionally with a skill and/or a presence',
        tags,
        querystring: agentFilterSchema,
        response: { 200: z.object({ agents: z.array(agentSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ agents: (await store.listAgents(request.query)).map(toResponse) }),
  );

  v1.get(
    '/agents/:id',
    {
      schema: {
        summary: 'One agent',
        tags,
        params: agentParamsSchema,
        response: { 200: agentSchema, 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const agent = await store.getAgent(request.params.id);
      return agent === undefined ? reply.code(404).send(agentNotFound(request.params.id)) : toResponse(agent);
    },
  );

  v1.put(
    '/agents/:id/presence',
    {
      schema: {
        summary: "Set an agent's presence (reporting the same presence again keeps their place in line)",
        tags,
        params: agentParamsSchema,
        body: presenceBodySchema,
        response: { 200: agentSchema, 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      try {
        const agent = await store.setPresence(request.params.id, request.body.presence, Date.now());
        if (agent.presence === 'available') await onAvailable?.();
        return toResponse(agent);
      } catch (error) {
        if (error instanceof ContactStoreNotFoundError) {
          return reply.code(404).send(agentNotFound(request.params.id));
        }
        throw error;
      }
    },
  );

  v1.delete(
    '/agents/:id',
    {
      schema: {
        summary: 'Remove an agent',
        tags,
        params: agentParamsSchema,
        response: { 204: z.null().describe('Removed'), 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await store.removeAgent(request.params.id))) {
        return reply.code(404).send(agentNotFound(request.params.id));
      }
      return reply.code(204).send(null);
    },
  );
}
