import { startSandbox, type TwilioSandbox } from '../../../sandbox';
import { clientFor, restError } from './support/sandbox-client';

const sms = { to: '+15005550006', from: '+15005550006', body: 'fault test' };

describe('the Twilio sandbox: fault switches', () => {
  let sandbox: TwilioSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 5 });
  });
  afterEach(() => sandbox.clearFaults());
  afterAll(async () => {
    await sandbox.stop();
  });

  /** API requests answered since `from` (an index into the request log). */
  const answered = (from: number): number[] =>
    sandbox.outbox
      .snapshot()
      .requests.slice(from)
      .map((request) => request.status);
  const requestCount = (): number => sandbox.outbox.snapshot().requests.length;

  it('answers 503 through POST /sandbox/faults for N seconds, creates nothing, then recovers', async () => {
    const client = clientFor(sandbox);
    const switched = await fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 503, seconds: 1 }),
    });
    expect(switched.status).toBe(200);
    const { until } = (await switched.json()) as { status: number; until: number };
    const messagesBefore = sandbox.outbox.snapshot().messages.length;
    expect(await restError(client.messages.create(sms))).toMatchObject({ status: 503, code: 20503 });
    expect(await restError(client.calls.list({ limit: 1 }))).toMatchObject({ status: 503 });
    expect(sandbox.outbox.snapshot().messages).toHaveLength(messagesBefore);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now()) + 20));
    expect((await client.messages.create(sms)).status).toBe('queued');
  });

  it('answers 429 with Twilio error 20429; without autoRetry the library gives up at once', async () => {
    const client = clientFor(sandbox);
    sandbox.injectFault({ status: 429, seconds: 5 });
    const start = requestCount();
    expect(await restError(client.messages.create(sms))).toMatchObject({ status: 429, code: 20429 });
    expect(answered(start)).toEqual([429]);
  });

  it("retries 429 with the library's autoRetry and recovers when the fault ends", async () => {
    const client = clientFor(sandbox, { autoRetry: true, maxRetries: 12, maxRetryDelayMs: 150 });
    sandbox.injectFault({ status: 429, seconds: 0.25 });
    const start = requestCount();
    const message = await client.messages.create(sms);
    expect(message.status).toBe('queued');
    const statuses = answered(start);
    expect(statuses.at(-1)).toBe(201);
    expect(statuses.slice(0, -1).every((status) => status === 429)).toBe(true);
    expect(statuses.length).toBeGreaterThan(1);
  });

  it('stops after maxRetries retries and throws the 429', async () => {
    const client = clientFor(sandbox, { autoRetry: true, maxRetries: 2, maxRetryDelayMs: 20 });
    sandbox.injectFault({ status: 429, seconds: 10 });
    const start = requestCount();
    expect(await restError(client.messages.create(sms))).toMatchObject({ status: 429, code: 20429 });
    expect(answered(start)).toEqual([429, 429, 429]);
  });

  it('treats maxRetries 0 as no retry (the library alone would read 0 as 3)', async () => {
    const client = clientFor(sandbox, { autoRetry: true, maxRetries: 0 });
    sandbox.injectFault({ status: 429, seconds: 10 });
    const start = requestCount();
    await restError(client.messages.create(sms));
    expect(answered(start)).toEqual([429]);
  });

  it('does not retry a 503: that is for the caller to reconcile', async () => {
    const client = clientFor(sandbox, { autoRetry: true, maxRetries: 5, maxRetryDelayMs: 20 });
    sandbox.injectFault({ status: 503, seconds: 10 });
    const start = requestCount();
    expect(
      await restError(
        client.calls.create({ to: '+14155550100', from: '+15005550006', twiml: '<Response/>' }),
      ),
    ).toMatchObject({
      status: 503,
    });
    expect(answered(start)).toEqual([503]);
  });

  it('refuses a malformed fault request and clears faults with DELETE', async () => {
    const bad = await fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 500, seconds: 1 }),
    });
    expect(bad.status).toBe(400);
    sandbox.injectFault({ status: 503, seconds: 60 });
    expect((await fetch(`${sandbox.url}/sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await clientFor(sandbox).messages.create(sms)).status).toBe('queued');
  });
});
