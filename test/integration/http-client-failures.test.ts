import { WorkflowNotFoundError } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { CallbackRejectedError } from '../../client/callbacks';
import { InvalidRequestError } from '../../client/invalid-request';
import { installErrorHandler } from '../../api/errors';

const servers: FastifyInstance[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/**
 * A listening server whose routes throw what the client throws, answered by the API's one error
 * handler; `inject` asks it over real HTTP.
 */
async function serverThrowing(error: Error) {
  const app = Fastify();
  servers.push(app);
  installErrorHandler(app);
  const fail = async () => {
    throw error;
  };
  app.post('/things/:workflowId/move', fail);
  app.get('/things', fail);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    async inject(request: { method: string; url: string; payload?: unknown }) {
      const response = await fetch(`${base}${request.url}`, {
        method: request.method,
        ...(request.payload !== undefined
          ? { body: JSON.stringify(request.payload), headers: { 'content-type': 'application/json' } }
          : {}),
      });
      const body = await response.text();
      return { statusCode: response.status, body, json: () => JSON.parse(body) };
    },
  };
}

describe("the API's one mapping of client failures", () => {
  it('answers a refused input 400 naming each field where the request carried it, and the rule', async () => {
    const app = await serverThrowing(
      new InvalidRequestError([
        { field: 'at', rule: 'future', message: 'must be in the future' },
        { field: 'workflowId', rule: 'kind', message: 'not a thank-you' },
        { field: 'body.agentId', rule: 'exists', message: 'no agent with id x' },
      ]),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/things/courtesy-1/move',
      payload: { at: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        status: 400,
        code: 'invalid_request',
        message:
          'body.at: must be in the future; params.workflowId: not a thank-you; body.agentId: no agent with id x',
        problems: [
          { field: 'body.at', rule: 'future', message: 'must be in the future' },
          { field: 'params.workflowId', rule: 'kind', message: 'not a thank-you' },
          { field: 'body.agentId', rule: 'exists', message: 'no agent with id x' },
        ],
      },
    });
  });

  it('places a problem of a request without a body in its query string', async () => {
    const app = await serverThrowing(
      new InvalidRequestError([{ field: 'limit', rule: 'too_big', message: 'at most 50' }]),
    );
    const response = await app.inject({ method: 'GET', url: '/things?limit=99' });
    expect(response.json().error.problems).toEqual([
      { field: 'query.limit', rule: 'too_big', message: 'at most 50' },
    ]);
  });

  it('answers a callback that refused an update 409 callback_rejected', async () => {
    const app = await serverThrowing(new CallbackRejectedError('already claimed by agent-1'));
    const response = await app.inject({ method: 'POST', url: '/things/callback-abc/move', payload: {} });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'callback_rejected',
      message: 'already claimed by agent-1',
    });
  });

  it('answers a run that does not exist 404, named by its kind', async () => {
    const app = await serverThrowing(new WorkflowNotFoundError('not found', 'callback-c_abc', undefined));
    const response = await app.inject({ method: 'POST', url: '/things/callback-c_abc/move', payload: {} });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'callback_not_found' });
  });

  it('keeps anything else an internal error that says nothing of its cause', async () => {
    const app = await serverThrowing(new Error('database password is hunter2'));
    const response = await app.inject({ method: 'GET', url: '/things' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
  });
});
