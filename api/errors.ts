import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** One problem with a request: which field, which rule it broke, and a sentence for people. */
export const fieldProblemSchema = z.object({
  field: z.string().describe('Where the problem is, e.g. `body.phone` or `query.limit`'),
  rule: z.string().describe('The rule that failed, e.g. `too_small`, `invalid_format`, `required`'),
  message: z.string(),
});

/** The one error format of the HTTP API. */
export const apiErrorSchema = z.object({
  error: z.object({
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable code, e.g. `invalid_request`, `unauthorized`'),
    message: z.string(),
    problems: z.array(fieldProblemSchema).optional(),
  }),
});

export type ApiError = z.infer<typeof apiErrorSchema>;
export type FieldProblem = z.infer<typeof fieldProblemSchema>;

export function apiError(status: number, code: string, message: string, problems?: FieldProblem[]): ApiError {
  return { error: { status, code, message, ...(problems ? { problems } : {}) } };
}

/** Maps every failure to the one JSON error format; internal details never reach the caller. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const problems = error.validation.map((problem) => ({
        field: [where, ...problem.instancePath.split('/').filter((part) => part !== '')].join('.'),
        rule: problem.keyword,
        message: problem.message ?? 'invalid',
      }));
      const summary = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
      return reply.code(400).send(apiError(400, 'invalid_request', summary, problems));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply
        .code(400)
        .send(
          apiError(400, 'malformed_body', error.message, [
            { field: 'body', rule: 'json', message: 'the body must be valid JSON' },
          ]),
        );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(apiError(415, 'unsupported_media_type', error.message));
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send(apiError(status, 'internal', 'internal error; see the server log'));
    }
    return reply.code(status).send(apiError(status, error.code ?? 'error', error.message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(apiError(404, 'not_found', `no route ${request.method} ${request.url}`)),
  );
}
