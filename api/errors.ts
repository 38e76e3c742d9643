import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CallbackRejectedError } from '../client/callbacks';
import { InvalidRequestError } from '../client/invalid-request';

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

/** The agent a route was asked about does not exist. */
export function agentNotFound(id: string): ApiError {
  return apiError(404, 'agent_not_found', `no agent with id ${id}`);
}

const located = /^(body|params|query|headers)(\.|$)/;

/**
 * Where a client-side problem is in the request: a field the client names relative to its input
 * (`at`, `customer.phone`) is a path parameter when the route has one of that name, else part of
 * the body (or of the query string when there is no body).
 */
function fieldIn(request: FastifyRequest, field: string): string {
  if (located.test(field)) return field;
  const head = field.split('.')[0] ?? field;
  const params = (request.params ?? {}) as Record<string, unknown>;
  if (Object.hasOwn(params, head)) return `params.${field}`;
  return `${request.body === undefined ? 'query' : 'body'}.${field}`;
}

/**
 * The client's typed failures in the API's one format: bad input 400 naming field and rule, a
 * refusal by a callback (a second claim) 409, a run that does not exist (or has ended) 404.
 * Undefined for anything else.
 */
export function clientFailure(error: unknown, request: FastifyRequest): ApiError | undefined {
  if (error instanceof InvalidRequestError) {
    const problems = error.problems.map((problem) => ({
      ...problem,
      field: fieldIn(request, problem.field),
    }));
    const summary = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
    return apiError(400, 'invalid_request', summary, problems);
  }
  if (error instanceof CallbackRejectedError) return apiError(409, 'callback_rejected', error.message);
  if (error instanceof WorkflowNotFoundError) {
    // The run's kind is its id's prefix (callback-…, reminder-…, courtesy-…, rescue-…).
    const kind = /^([a-z]+)-/.exec(error.workflowId)?.[1] ?? 'run';
    return apiError(404, `${kind}_not_found`, `no such ${kind} (or it has ended)`);
  }
  return undefined;
}

/**
 * Maps every failure to the one JSON error format; internal details never reach the caller. Routes
 * let the client's typed failures (InvalidRequestError, CallbackRejectedError, WorkflowNotFoundError)
 * reach this handler rather than catching them.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const failure = clientFailure(error, request);
    if (failure !== undefined) return reply.code(failure.error.status).send(failure);
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
