import { z } from 'zod';
import { courtesyCancelSchema, courtesyListFilterSchema, type CourtesyClient } from '../client/courtesy';
import { outreachSummarySchema } from '../client/outreach-summary';
import { courtesyRequestSchema, courtesyRescheduleSchema } from '../domain/courtesy';
import type { ZodRoutes } from './agent-routes';
import { apiError, apiErrorSchema } from './errors';

const tags = ['courtesy'];
const errorResponses = { 400: apiErrorSchema, 401: apiErrorSchema };
// Workflow ids as start returns them: courtesy-<id> or notice-<id>.
const paramsSchema = z.object({
  workflowId: z.string().regex(/^(courtesy|notice)-[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, {
    error: 'expected a workflow id as returned by POST /v1/courtesy, e.g. courtesy-order-42',
  }),
});
const startedSchema = z.object({ workflowId: z.string(), started: z.boolean() });
const statusSchema = z.looseObject({ type: z.string(), state: z.string() });

function notFound(workflowId: string) {
  return apiError(404, 'courtesy_not_found', `no running courtesy outreach ${workflowId}`);
}

/**
 * Courtesy outreach over HTTP: thank-yous, yearly occasions and service notices. The body's `type`
 * picks the kind. A thank-you or an occasion can be moved; a notice cannot.
 */
export function registerCourtesyRoutes(v1: ZodRoutes, { courtesy }: { courtesy: CourtesyClient }): void {
  v1.post(
    '/courtesy',
    {
      schema: {
        summary: 'Start a thank-you, a yearly occasion or a service notice (idempotent per courtesyId)',
        tags,
        body: courtesyRequestSchema,
        response: { 201: startedSchema, 200: startedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await courtesy.start(request.body);
      return reply.code(result.started ? 201 : 200).send(result);
    },
  );

  v1.get(
    '/courtesy',
    {
      schema: {
        summary: 'List courtesy outreaches (kind=courtesy) or notices (kind=notice), newest first',
        tags,
        querystring: courtesyListFilterSchema,
        response: {
          200: z.object({
            courtesy: z.array(outreachSummarySchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ courtesy: await courtesy.list(request.query) }),
  );

  v1.get(
    '/courtesy/:workflowId',
    {
      schema: {
        summary: 'Where a courtesy outreach stands: next due time and every outreach so far',
        tags,
        params: paramsSchema,
        response: { 200: statusSchema, 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const status = await courtesy.status(request.params.workflowId);
      return status === undefined ? reply.code(404).send(notFound(request.params.workflowId)) : { ...status };
    },
  );

  v1.post(
    '/courtesy/:workflowId/reschedule',
    {
      schema: {
        summary: 'Move a thank-you ({ at }) or a yearly occasion ({ month, day }); notices cannot move',
        tags,
        params: paramsSchema,
        body: courtesyRescheduleSchema,
        response: { 202: z.null(), 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await courtesy.reschedule(request.params.workflowId, request.body))) {
        return reply.code(404).send(notFound(request.params.workflowId));
      }
      return reply.code(202).send(null);
    },
  );

  v1.post(
    '/courtesy/:workflowId/cancel',
    {
      schema: {
        summary: 'Cancel: a pending thank-you or notice is not sent, a yearly occasion does not come again',
        tags,
        params: paramsSchema,
        body: courtesyCancelSchema.optional(),
        response: { 202: z.null(), 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await courtesy.cancel(request.params.workflowId, request.body ?? {}))) {
        return reply.code(404).send(notFound(request.params.workflowId));
      }
      return reply.code(202).send(null);
    },
  );
}
