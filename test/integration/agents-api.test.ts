import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../api/server';
import { RecontactClient } from '../../client/recontact-client';
import { createContactStore, createDatabase, migrateToLatest, type StoreDatabase } from '../../store';
import { connectTestClient, testConfig } from '../harness/temporal';

const token = `token-${randomUUID()}`;
const auth = { authorization: `Bearer ${token}` };

interface Reply {
  statusCode: number;
  text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A real HTTP request to a listening server, as the agent desk or an ACD would make it. */
async function call(
  server: FastifyInstance,
  {
    method,
    url,
    headers = auth,
    payload,
  }: { method: string; url: string; headers?: Record<string, string>; payload?: unknown },
): Promise<Reply> {
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening');
  const body = payload === undefined ? undefined : JSON.stringify(payload);
  const response = await fetch(`http://127.0.0.1:${address.port}${url}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
    body,
  });
  const text = await response.text();
  return { statusCode: response.status, text, json: () => JSON.parse(text) };
}

const alice = {
  id: 'alice',
  name: 'Alice Martín',
  address: 'client:alice',
  skills: ['billing', 'spanish-sales'],
  languages: ['es', 'en'],
};

describe('the agent directory over HTTP', () => {
  const config = testConfig();
  let dir: string;
  let db: StoreDatabase;
  let recontact: RecontactClient;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'recontact-agents-api-'));
    db = createDatabase({ sqliteFile: path.join(dir, 'recontact.sqlite') });
    await migrateToLatest(db);
    recontact = new RecontactClient(await connectTestClient(), config.TEMPORAL_TASK_QUEUE);
    app = await buildApiServer({ client: recontact, tokens: [token], store: createContactStore(db) });
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await recontact.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses every agent route without a bearer token', async () => {
    for (const [method, url] of [
      ['GET', '/v1/agents'],
      ['POST', '/v1/agents'],
      ['GET', '/v1/agents/alice'],
      ['PUT', '/v1/agents/alice/presence'],
      ['DELETE', '/v1/agents/alice'],
    ] as const) {
      const response = await call(app, { method, url, headers: {} });
      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 401 });
      expect(response.json().error.code).toBe('unauthorized');
    }
  });

  it('creates an agent offline, lists by skill and presence, and changes presence', async () => {
    const before = Date.now();
    const created = await call(app, { method: 'POST', url: '/v1/agents', payload: alice });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({
      ...alice,
      languages: ['en', 'es'],
      presence: 'offline',
      presenceChangedAt: expect.any(Number),
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
    });
    expect(created.json().createdAt).toBeGreaterThanOrEqual(before);

    const bob = { id: 'bob', name: 'Bob', address: '+15005550006', skills: ['tech'], presence: 'available' };
    expect((await call(app, { method: 'POST', url: '/v1/agents', payload: bob })).statusCode).toBe(200);

    const ids = async (url: string) =>
      (await call(app, { method: 'GET', url })).json().agents.map((agent: { id: string }) => agent.id);
    expect(await ids('/v1/agents')).toEqual(['alice', 'bob']);
    expect(await ids('/v1/agents?skill=billing')).toEqual(['alice']);
    expect(await ids('/v1/agents?presence=available')).toEqual(['bob']);
    expect(await ids('/v1/agents?skill=billing&presence=available')).toEqual([]);

    const presence = await call(app, {
      method: 'PUT',
      url: '/v1/agents/alice/presence',
      payload: { presence: 'available' },
    });
    expect(presence.statusCode).toBe(200);
    expect(presence.json()).toMatchObject({ id: 'alice', presence: 'available' });
    expect(await ids('/v1/agents?skill=billing&presence=available')).toEqual(['alice']);

    const fetched = await call(app, { method: 'GET', url: '/v1/agents/alice' });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(presence.json());
  });

  it('answers an unknown agent with 404 in the error format, and removes an agent once', async () => {
    await call(app, { method: 'POST', url: '/v1/agents', payload: { ...alice, id: 'carol' } });
    const notFound = {
      error: { status: 404, code: 'agent_not_found', message: expect.stringContaining('nobody') },
    };

    const get = await call(app, { method: 'GET', url: '/v1/agents/nobody' });
    expect(get.statusCode).toBe(404);
    expect(get.json()).toEqual(notFound);
    const put = await call(app, {
      method: 'PUT',
      url: '/v1/agents/nobody/presence',
      payload: { presence: 'busy' },
    });
    expect(put.statusCode).toBe(404);
    expect(put.json()).toEqual(notFound);

    const removed = await call(app, { method: 'DELETE', url: '/v1/agents/carol' });
    expect(removed.statusCode).toBe(204);
    expect(removed.text).toBe('');
    const again = await call(app, { method: 'DELETE', url: '/v1/agents/carol' });
    expect(again.statusCode).toBe(404);
    expect((await call(app, { method: 'GET', url: '/v1/agents/carol' })).statusCode).toBe(404);
  });

  it('names the field and the rule for a bad address, id, skill or presence', async () => {
    const badAddress = await call(app, {
      method: 'POST',
      url: '/v1/agents',
      payload: { ...alice, id: 'dave', address: '0034 911 234 567' },
    });
    expect(badAddress.statusCode).toBe(400);
    expect(badAddress.json().error).toMatchObject({
      code: 'invalid_request',
      problems: [{ field: 'body.address', rule: 'invalid_format' }],
    });

    const badPresence = await call(app, {
      method: 'PUT',
      url: '/v1/agents/alice/presence',
      payload: { presence: 'at-lunch' },
    });
    expect(badPresence.statusCode).toBe(400);
    expect(badPresence.json().error).toMatchObject({
      code: 'invalid_request',
      problems: [{ field: 'body.presence', rule: 'invalid_value' }],
    });

    const badQuery = await call(app, { method: 'GET', url: '/v1/agents?presence=lunch&skill=Billing' });
    expect(badQuery.statusCode).toBe(400);
    expect(
      badQuery
        .json()
        .error.problems.map((problem: { field: string }) => problem.field)
        .sort(),
    ).toEqual(['querystring.presence', 'querystring.skill']);

    const badId = await call(app, { method: 'GET', url: '/v1/agents/Not%20An%20Id' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.problems[0].field).toBe('params.id');

    expect((await call(app, { method: 'GET', url: '/v1/agents/dave' })).statusCode).toBe(404);
  });

  it('describes the agent routes in the OpenAPI document', async () => {
    const document = (await call(app, { method: 'GET', url: '/openapi.json', headers: {} })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/agents', '/v1/agents/{id}', '/v1/agents/{id}/presence']),
    );
    expect(document.paths['/v1/agents'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['id', 'name', 'address']),
    );
  });
});
