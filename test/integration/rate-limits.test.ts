import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../api/server';
import { defaultRateLimits, type RateLimits } from '../../api/rate-limits';
import { twilioWebhookDeps } from '../../api/twilio-webhook-deps';
import { RecontactClient } from '../../client/recontact-client';
import { openServices, type Services } from '../../runtime/services';
import { connectTestClient, freePort, testConfig } from '../harness/temporal';

/** Small limits and a 2-second window, so a burst and the wait it is told to make both fit a test. */
const limits: RateLimits = {
  api: { perToken: 5, perAddress: 8 },
  webhooks: { perAddress: 4 },
  reminderLinks: { perAddress: 3 },
  deskSignIn: { perAddress: 3 },
  desk: { perToken: 50, perAddress: 50 },
  windowMs: 2_000,
};

describe('rate limits on the API, the webhooks, reminder links and the desk sign-in', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-rate-'));
  const tokens = [`token-${randomUUID()}`, `token-${randomUUID()}`];
  let temporal: Client;
  let services: Services;
  let api: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    const config = testConfig({ DATA_DIR: dataDir, API_PORT: String(port) });
    // Nothing here sends: the provider endpoints are never reached.
    services = await openServices(config, {
      sandboxUrl: 'http://127.0.0.1:9',
      smtpUrl: 'smtp://127.0.0.1:9',
    });
    temporal = await connectTestClient();
    const client = new RecontactClient(temporal, config.TEMPORAL_TASK_QUEUE, {
      customerKeySecret: services.customerKeySecret,
    });
    api = await buildApiServer({
      client,
      tokens,
      twilioWebhooks: twilioWebhookDeps(services, temporal),
      store: services.store,
      callbackDispatch: { offerMs: 30_000 },
      customerKeySecret: services.customerKeySecret,
      rateLimits: limits,
    });
    await api.listen({ host: '127.0.0.1', port });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await api?.close();
    await services?.close();
    await temporal?.connection.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Fires `count` requests at once and returns their statuses in order, with the first 429. */
  async function burst(count: number, url: string, init: RequestInit = {}) {
    const responses = await Promise.all(Array.from({ length: count }, () => fetch(`${base}${url}`, init)));
    const statuses = responses.map((response) => response.status);
    const limited = responses.find((response) => response.status === 429);
    return {
      statuses,
      retryAfter: limited === undefined ? undefined : Number(limited.headers.get('retry-after')),
      body: limited === undefined ? undefined : ((await limited.json()) as { error: { code: string } }),
    };
  }
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('answers 429 with Retry-After once a token is over its limit, then serves again after that wait', async () => {
    const first = await burst(9, '/v1/agents', bearer(tokens[0] ?? ''));
    expect(first.statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(first.statuses.filter((status) => status === 429)).toHaveLength(4);
    expect(first.retryAfter).toBeGreaterThanOrEqual(1);
    expect(first.retryAfter).toBeLessThanOrEqual(2);
    expect(first.body?.error.code).toBe('rate_limited');

    await new Promise((resolve) => setTimeout(resolve, (first.retryAfter ?? 0) * 1_000 + 100));
    expect((await fetch(`${base}/v1/agents`, bearer(tokens[0] ?? ''))).status).toBe(200);
  });

  it('counts per address too: wrong tokens are turned away with 429 once the address is over, before any lookup', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    // Another integration from the same address gets its own 5 …
    const other = await burst(5, '/v1/agents', bearer(tokens[1] ?? ''));
    expect(other.statuses).toEqual([200, 200, 200, 200, 200]);
    // … and a guesser trying a new token each time gets 3 more answers (8 per address), then 429.
    const guesses = await Promise.all(
      Array.from({ length: 6 }, () => fetch(`${base}/v1/agents`, bearer(`guess-${randomUUID()}`))),
    );
    expect(guesses.map((response) => response.status).sort()).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it('limits the Twilio webhooks, the reminder links and the desk sign-in per address', async () => {
    const form = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B14155550100&To=%2B15005550006&Body=STOP',
    };
    const webhooks = await burst(7, '/webhooks/twilio/sms', form);
    expect(webhooks.statuses.filter((status) => status === 403)).toHaveLength(4);
    expect(webhooks.statuses.filter((status) => status === 429)).toHaveLength(3);
    expect(webhooks.retryAfter).toBeGreaterThanOrEqual(1);

    const links = await burst(5, '/links/reminders/appt-1/confirm?at=1&sig=forged');
    expect(links.statuses.filter((status) => status === 429)).toHaveLength(2);

    const signIn = await burst(5, '/desk/api/me', bearer('not-a-desk-token'));
    expect(signIn.statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(signIn.statuses.filter((status) => status === 429)).toHaveLength(2);
  });

  it('keeps the default limits above what the test suite and npm start send (measured peaks per minute)', () => {
    // Peaks measured over the integration tests (issue 16): 277 webhooks from the sandbox's one
    // address, 120 API requests on one token, 24 desk requests from one address, 6 desk sign-ins.
    expect(defaultRateLimits.webhooks.perAddress).toBeGreaterThanOrEqual(10 * 277);
    expect(defaultRateLimits.api.perToken).toBeGreaterThanOrEqual(10 * 120);
    expect(defaultRateLimits.desk.perAddress).toBeGreaterThanOrEqual(10 * 24);
    expect(defaultRateLimits.deskSignIn.perAddress).toBeGreaterThanOrEqual(10 * 6);
    expect(defaultRateLimits.windowMs ?? 60_000).toBe(60_000);
  });
});
