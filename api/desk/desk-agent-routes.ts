import { z } from 'zod';
import type { CallbackClient } from '../../client/callbacks';
import { ContactStoreNotFoundError, type Agent, type ContactStore } from '../../store';
import type { ZodRoutes } from '../agent-routes';
import { agentNotFound, apiError } from '../errors';
import { deskAuth, deskErrorResponses, identityOf } from './desk-auth';
import type { DeskHub } from './desk-hub';
import {
  deskCallbackParamsSchema,
  deskDispositionBodySchema,
  deskPageQuerySchema,
  deskPresenceBodySchema,
} from './desk-schemas';
import { cardOfStatus, claimBarrier } from './desk-views';

export interface DeskAgentRouteDeps {
  store: ContactStore;
  callbacks: CallbackClient;
  hub: DeskHub;
  /** Runs the dispatcher: an agent who becomes available is offered a waiting callback at once. */
  dispatch: () => Promise<void>;
}

const tags = ['agent desk'];
const errors = deskErrorResponses;
const anything = z.unknown();

/**
 * The agent's side of the desk. Every route needs an agent token; the agent is the token's, so
 * nobody can accept, claim or close a callback in another agent's name.
 */
export function registerDeskAgentRoutes(
  routes: ZodRoutes,
  { store, callbacks, hub, dispatch }: DeskAgentRouteDeps,
): void {
  const onRequest = deskAuth(store, ['agent']);
  /**
   * Why this agent may not take a callback (undefined: they may), read from the store now rather
   * than the hub's snapshot: a refusal must never come from a second-old read.
   */
  const barrierFor = async (agent: Agent, workflowId: string, claimedBy?: string) =>
    claimBarrier(await store.queuedCallback(workflowId), claimedBy, agent, Date.now());

  routes.get(
    '/agent/view',
    {
      onRequest,
      schema: {
        summary:
          "The agent's desk now, with one page of the callbacks they may claim (the event stream sends the same)",
        tags,
        querystring: deskPageQuerySchema,
        response: { 200: anything, ...errors },
      },
    },
    async (request) => hub.agentView(identityOf(request).subjectId, request.query),
  );

  routes.put(
    '/agent/presence',
    {
      onRequest,
      schema: {
        summary: 'Set my presence (available: a waiting callback is offered at once)',
        tags,
        body: deskPresenceBodySchema,
        response: { 200: anything, ...errors },
      },
    },
    async (request, reply) => {
      const { subjectId } = identityOf(request);
      try {
        const agent = await store.setPresence(subjectId, request.body.presence, Date.now());
        if (agent.presence === 'available') await dispatch();
        hub.poke();
        return { presence: agent.presence };
      } catch (error) {
        if (error instanceof ContactStoreNotFoundError) {
          return reply.code(404).send(agentNotFound(subjectId));
        }
        throw error;
      }
    },
  );

  routes.get(
    '/agent/callbacks/:workflowId',
    {
      onRequest,
      schema: {
        summary: 'A callback offered to me, mine, or one I may claim: context, attempts and timeline',
        tags,
        params: deskCallbackParamsSchema,
        response: { 200: anything, ...errors },
      },
    },
    async (request, reply) => {
      const { subjectId } = identityOf(request);
      const { workflowId } = request.params;
      const agent = await store.getAgent(subjectId);
      if (agent === undefined) {
        return reply.code(404).send(agentNotFound(subjectId));
      }
      const holds = await store.listAgentHolds();
      const mine = holds.some((hold) => hold.agentId === agent.id && hold.workflowId === workflowId);
      const status = await callbacks.status({ workflowId });
      const barrier = mine ? undefined : await barrierFor(agent, workflowId, status.agent?.agentId);
      if (barrier !== undefined) {
        return reply.code(403).send(apiError(403, 'not_yours', `not yours to see: ${barrier}`));
      }
      return { ...cardOfStatus(status), timeline: status.timeline };
    },
  );

  const answerOffer = (answer: 'accept' | 'reject') =>
    routes.post(
      `/agent/callbacks/:workflowId/${answer}`,
      {
        onRequest,
        schema: {
          summary:
            answer === 'accept'
              ? 'Accept the offer: I am called first, then the customer'
              : 'Reject the offer: the next agent is asked',
          tags,
          params: deskCallbackParamsSchema,
          response: { 200: anything, ...errors },
        },
      },
      async (request) => {
        const status = await callbacks.answerOffer(
          { workflowId: request.params.workflowId },
          { agentId: identityOf(request).subjectId, answer },
        );
        hub.poke();
        return { state: status.state };
      },
    );
  answerOffer('accept');
  answerOffer('reject');

  routes.post(
    '/agent/callbacks/:workflowId/claim',
    {
      onRequest,
      schema: {
        summary: 'Claim a due callback and call now (exactly one agent wins; I am called first)',
        tags,
        params: deskCallbackParamsSchema,
        response: { 200: anything, ...errors },
      },
    },
    async (request, reply) => {
      const { workflowId } = request.params;
      const { subjectId } = identityOf(request);
      const agent = await store.getAgent(subjectId);
      if (agent === undefined) {
        return reply.code(404).send(agentNotFound(subjectId));
      }
      // A courtesy check for a clear message; the workflow's update validator is what makes it exactly one.
      const barrier = await barrierFor(agent, workflowId);
      if (barrier !== undefined) {
        hub.poke();
        return reply.code(409).send(apiError(409, 'callback_rejected', barrier));
      }
      try {
        const status = await callbacks.claim(
          { workflowId },
          {
            agentId: agent.id,
            name: agent.name,
            skills: [...agent.skills],
            languages: [...agent.languages],
            presence: agent.presence,
          },
        );
        return { state: status.state };
      } finally {
        hub.poke();
      }
    },
  );

  routes.post(
    '/agent/callbacks/:workflowId/disposition',
    {
      onRequest,
      schema: {
        summary: 'Record how my call went (resolved, follow-up at a time, wrong number, voicemail left, …)',
        tags,
        params: deskCallbackParamsSchema,
        body: deskDispositionBodySchema,
        response: { 200: anything, ...errors },
      },
    },
    async (request) => {
      const status = await callbacks.recordDisposition(
        { workflowId: request.params.workflowId },
        { ...request.body, agentId: identityOf(request).subjectId },
      );
      hub.poke();
      return { state: status.state };
    },
  );
}
