import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const bound = new WeakSet<FastifyRequest>();

function bind(request: FastifyRequest, reply: FastifyReply, workflowId: string): void {
  if (bound.has(request)) return;
  bound.add(request);
  request.log = request.log.child({ workflowId });
  // Fastify logs "request completed" through the reply's logger.
  reply.log = request.log;
}

const idOf = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null || !('workflowId' in value)) return undefined;
  const id = (value as { workflowId: unknown }).workflowId;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/**
 * Puts the run's `workflowId` on every later log line of a request about a run, so an operator can
 * go from the API's log to the run in the Temporal UI: a `:workflowId` route parameter, a
 * `workflowId` query (the Twilio status webhook), or — for a request that starts or joins a run —
 * the `workflowId` of the JSON answer ("request completed" then names it).
 */
export function tagRunLogs(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    const workflowId = idOf(request.params) ?? idOf(request.query);
    if (workflowId !== undefined) bind(request, reply, workflowId);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (bound.has(request) || typeof payload !== 'string' || !payload.includes('"workflowId"'))
      return payload;
    try {
      const workflowId = idOf(JSON.parse(payload));
      if (workflowId !== undefined) bind(request, reply, workflowId);
    } catch {
      // Not JSON: nothing to name.
    }
    return payload;
  });
}
