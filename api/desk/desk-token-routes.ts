import { z } from 'zod';
import { agentIdSchema, deskRoleSchema, type ContactStore } from '../../store';
import type { ZodRoutes } from '../agent-routes';
import { apiError, apiErrorSchema } from '../errors';

const issueBodySchema = z.object({
  role: deskRoleSchema,
  subjectId: agentIdSchema.describe("The agent's id (agent tokens), or the supervisor's handle"),
  label: z.string().trim().min(1).max(200).optional().describe('e.g. "ana laptop"'),
});
const issuedSchema = z.object({
  token: z.string().describe('Shown once: only its SHA-256 digest is stored'),
  role: deskRoleSchema,
  subjectId: z.string(),
  createdAt: z.number().int(),
});
const tags = ['agent desk'];

/** Administrators (API bearer token) issue and revoke desk tokens. */
export function registerDeskTokenRoutes(v1: ZodRoutes, { store }: { store: ContactStore }): void {
  v1.post(
    '/desk-tokens',
    {
      schema: {
        summary: 'Issue a desk token for an agent (the agent must exist) or a supervisor',
        tags,
        body: issueBodySchema,
        response: { 201: issuedSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const { role, subjectId, label } = request.body;
      if (role === 'agent' && (await store.getAgent(subjectId)) === undefined) {
        return reply.code(400).send(
          apiError(400, 'invalid_request', `body.subjectId: no agent with id ${subjectId}`, [
            {
              field: 'body.subjectId',
              rule: 'exists',
              message: `no agent with id ${subjectId}; create the agent first`,
            },
          ]),
        );
      }
      const issued = await store.issueDeskToken({
        role,
        subjectId,
        ...(label !== undefined ? { label } : {}),
        at: Date.now(),
      });
      return reply.code(201).send(issued);
    },
  );

  v1.delete(
    '/desk-tokens/:subjectId',
    {
      schema: {
        summary: 'Revoke every desk token of an agent or supervisor',
        tags,
        params: z.object({ subjectId: agentIdSchema }),
        response: { 200: z.object({ revoked: z.number().int() }), 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request) => ({ revoked: await store.revokeDeskTokens(request.params.subjectId) }),
  );
}
