import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import { RecontactClient } from '../../client/recontact-client';
import { buildApiServer } from '../../api/server';
import { searchAttributes } from '../../workflows/search-attributes';
import { waitThenComplete } from '../workflows/wait-then-complete';
import { connectTestClient, createTestWorker, eventually, testConfig } from '../harness/temporal';

const token = `token-${randomUUID()}`;

interface Reply {
  statusCode: number;
  headers: Headers;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A real HTTP request to a listening server, as a caller would make it. */
async function call(
  server: FastifyInstance,
  {
    method,
    url,
    headers = {},
    payload,
  }: { method: string; url: string; headers?: Record<string, string>; payload?: unknown },
): Promise<Reply> {
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening');
  const body =
    payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
  const response = await fetch(`http://127.0.0.1:${address.port}${url}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
    body,
  });
  const text = await response.text();
  return { statusCode: response.status, headers: response.headers, json: () => JSON.parse(text) };
}
const auth = { authorization: `Bearer ${token}` };

describe('the HTTP API', () => {
  const config = testConfig();
  let app: FastifyInstance;
  let recontact: RecontactClient;
  let worker: Worker;
  let workerRun: Promise<void>;

  beforeAll(async () => {
    recontact = new RecontactClient(await connectTestClient(), config.TEMPORAL_TASK_QUEUE);
    app = await buildApiServer({ client: recontact, tokens: [token] });
    await app.listen({ host: '127.0.0.1', port: 0 });
    worker = await createTestWorker(config);
    workerRun = worker.run();
  });
  afterAll(async () => {
    worker.shutdown();
    await workerRun;
    await app.close();
    await recontact.close();
  });

  it('answers /healthz with 200 after really asking Temporal', async () => {
    const response = await call(app, { method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /healthz with 503 when Temporal does not know the namespace', async () => {
    const other = new RecontactClient(await connectTestClient(undefined, 'not-a-namespace'), 'q');
    const otherApp = await buildApiServer({ client: other, tokens: [token] });
    await otherApp.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await call(otherApp, { method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('temporal_unreachable');
    } finally {
      await otherApp.close();
      await other.close();
    }
  });

  it('closes promptly when a keep-alive request is still running as close() begins', async () => {
    // Before: the connection stayed open after its answer until Fastify's 72 s keep-alive timeout.
    let entered!: () => void;
    let release!: () => void;
    const running = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = {
      isHealthy: async () => {
        entered();
        await gate;
        return true;
      },
    } as unknown as RecontactClient;
    const slowApp = await buildApiServer({ client: slow, tokens: [token] });
    await slowApp.listen({ host: '127.0.0.1', port: 0 });
    const response = call(slowApp, { method: 'GET', url: '/healthz' });
    await running;
    const startedAt = Date.now();
    const closed = slowApp.close();
    setTimeout(release, 200);
    expect((await response).statusCode).toBe(200);
    await closed;
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it('rejects a request without a token, or with a wrong one, with 401 in the error format', async () => {
    const missing = await call(app, { method: 'GET', url: '/v1/runs' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(missing.json()).toEqual({
      error: {
        status: 401,
        code: 'unauthorized',
        message: expect.any(String),
        problems: [{ field: 'headers.authorization', rule: 'required', message: expect.any(String) }],
      },
    });
    const wrong = await call(app, {
      method: 'GET',
      url: '/v1/runs',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.problems[0].rule).toBe('invalid_token');
  });

  it('answers a malformed JSON body with 400 naming the body and the rule', async () => {
    const response = await call(app, {
      method: 'POST',
      url: '/v1/diagnostics',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"probeTimeoutSeconds": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'malformed_body',
      problems: [{ field: 'body', rule: 'json' }],
    });
  });

  it('names each invalid field and the rule it broke', async () => {
    const response = await call(app, {
      method: 'POST',
      url: '/v1/diagnostics',
      headers: auth,
      payload: { probeTimeoutSeconds: 0 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'invalid_request',
      problems: [{ field: 'body.probeTimeoutSeconds', rule: 'too_small' }],
    });

    const query = await call(app, {
      method: 'GET',
      url: '/v1/runs?kind=a%22%20OR%201%3D1&limit=9999',
      headers: auth,
    });
    expect(query.statusCode).toBe(400);
    expect(
      query
        .json()
        .error.problems.map((problem: { field: string }) => problem.field)
        .sort(),
    ).toEqual(['querystring.kind', 'querystring.limit']);
  });

  it('runs the doctor checks through /v1/diagnostics', async () => {
    const response = await call(app, { method: 'POST', url: '/v1/diagnostics', headers: auth, payload: {} });
    expect(response.statusCode).toBe(200);
    expect(response.json().ok).toBe(true);
  });

  it('lists runs by custom search attributes through /v1/runs', async () => {
    const customer = `c-${randomUUID()}`;
    await recontact.temporal.workflow.execute(waitThenComplete, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `api-${customer}`,
      args: [1],
      typedSearchAttributes: [
        { key: searchAttributes.Kind, value: 'probe' },
        { key: searchAttributes.Customer, value: customer },
      ],
    });
    const runs = await eventually(async () => {
      const response = await call(app, {
        method: 'GET',
        url: `/v1/runs?customer=${customer}`,
        headers: auth,
      });
      const body = response.json() as { runs: unknown[] };
      return body.runs.length > 0 ? body.runs : undefined;
    });
    expect(runs).toEqual([expect.objectContaining({ workflowId: `api-${customer}`, status: 'COMPLETED' })]);
  });

  it('publishes an OpenAPI document generated from the zod schemas', async () => {
    const response = await call(app, { method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/v1/runs', '/v1/diagnostics']),
    );
    const docs = await call(app, { method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
  });
});
