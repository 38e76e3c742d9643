import { z } from 'zod';
import type { RescueClient } from '../client/rescues';
import { surveyResponseSchema } from '../domain/rescue';
import type { ZodRoutes } from './agent-routes';
import { apiErrorSchema } from './errors';

/** Survey answers over HTTP: the survey tool posts each response; a low score starts a rescue. */
export function registerSurveyRoutes(v1: ZodRoutes, { rescues }: { rescues: RescueClient }): void {
  v1.post(
    '/surveys',
    {
      schema: {
        summary:
          'A survey answer: detractors get a rescue callback and a supervisor alert, promoters a thank-you',
        description: 'The same responseId twice starts one run (started: false the second time).',
        tags: ['surveys'],
        body: surveyResponseSchema,
        response: {
          202: z.object({ workflowId: z.string(), started: z.boolean() }),
          400: apiErrorSchema,
          401: apiErrorSchema,
        },
      },
    },
    async (request, reply) => reply.code(202).send(await rescues.reportSurvey(request.body)),
  );
}
