import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { deliverMessage } from '../../../workflows/deliver-message';
import { customerKeyFor } from '../../../domain/customer-key';
import { ENCRYPTED_ENCODING } from '../../../codec/payload-codec';
import { payloadToJson } from '../../../codec/payload-json';
import { startChannelStack, type ChannelStack } from '../../harness/channels';
import { sharedServerAddress } from '../../harness/temporal';
import { requiredTestEnv, TEST_ENV, TEST_NAMESPACE } from '../../harness/test-env';
import { waitThenComplete } from '../../workflows/wait-then-complete';

// The customer of this run: what must never be readable in Temporal without the key.
const phone = '+15005550001'; // The sandbox's invalid number: the send fails, so a failure is recorded too.
const email = 'ada.lovelace.codec@example.com';
const name = 'Ada Lovelace-Byron';
const personalData = [phone, phone.slice(1), email, name];

/** Every string and every byte field (as UTF-8) of a raw history, as one text to search. */
function rawText(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) value.forEach((item) => rawText(item, out));
  else if (value !== null && typeof value === 'object')
    Object.values(value).forEach((item) => rawText(item, out));
  return out;
}

/**
 * Every payload in a raw history (inputs, results, signals, failures' encoded attributes, memo) but
 * search attributes, which the server must read: they hold only the customer's key.
 */
function payloadsOf(value: unknown, out: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return out;
  const candidate = value as { metadata?: Record<string, Uint8Array>; data?: Uint8Array };
  if (candidate.metadata?.encoding instanceof Uint8Array) out.push(candidate as Payload);
  else if (Array.isArray(value)) value.forEach((item) => payloadsOf(item, out));
  else
    Object.entries(value).forEach(([key, item]) => {
      if (key !== 'searchAttributes' && key !== 'upsertWorkflowSearchAttributesEventAttributes')
        payloadsOf(item, out);
    });
  return out;
}

describe('personal data in Temporal (issue 16)', () => {
  let stack: ChannelStack;
  let plain: Client;
  let codecUrl: string;
  let history: temporal.api.history.v1.IHistory;
  const uiOrigin = () => `http://localhost:${stack.config.DEV_SERVER_UI_PORT}`;

  beforeAll(async () => {
    stack = await startChannelStack();
    codecUrl = `${stack.config.PUBLIC_URL}/codec`;
    const workflowId = `notice-codec-${randomUUID()}`;
    const result = await stack.temporal.workflow.execute(deliverMessage, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [
        {
          channel: 'sms',
          contact: { phone, email, country: 'US', timeZone: 'America/New_York' },
          customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
          template: 'sms.help',
          variables: { company: 'Acme', name },
          purpose: 'notice',
        },
      ],
    });
    expect(result.outcome).toBe('invalid-recipient');
    // A client as anyone with access to the Temporal API has it: no codec, no key.
    plain = new Client({
      connection: await Connection.connect({ address: sharedServerAddress() }),
      namespace: TEST_NAMESPACE,
    });
    const response = await plain.workflowService.getWorkflowExecutionHistory({
      namespace: TEST_NAMESPACE,
      execution: { workflowId },
    });
    history = response.history ?? {};
  }, 90_000);
  afterAll(async () => {
    await plain?.connection.close();
    await stack?.stop();
  });

  it('keeps the phone number, e-mail and name out of the raw history, the failure included', () => {
    const events = history.events ?? [];
    const failed = events.find((event) => event.activityTaskFailedEventAttributes);
    expect(failed).toBeDefined();
    // The failure's message and stack trace moved into an encrypted attribute.
    expect(failed?.activityTaskFailedEventAttributes?.failure?.message).toBe('Encoded failure');
    const text = rawText(history).join('\n');
    for (const value of personalData) expect(text).not.toContain(value);
    // Every payload our code wrote is encrypted; only the SDK's own marker fields (a local
    // activity's sequence number, a patch id) stay plain, and they hold no customer data.
    const encoding = (payload: Payload) => Buffer.from(payload.metadata?.encoding ?? []).toString();
    const ours = events.flatMap((event) =>
      payloadsOf({ ...event, markerRecordedEventAttributes: undefined }),
    );
    expect(ours.length).toBeGreaterThan(3);
    expect(new Set(ours.map(encoding))).toEqual(new Set([ENCRYPTED_ENCODING]));
    const markers = events.filter((event) => event.markerRecordedEventAttributes);
    const localActivityResults = markers.flatMap((event) =>
      payloadsOf(event.markerRecordedEventAttributes?.details?.result),
    );
    expect(localActivityResults.length).toBeGreaterThan(0);
    expect(new Set(localActivityResults.map(encoding))).toEqual(new Set([ENCRYPTED_ENCODING]));
  });

  it('decodes the same payloads through the codec endpoint with an API token, the failure naming the customer by key', async () => {
    const body = JSON.stringify({ payloads: payloadsOf(history).map(payloadToJson) });
    const response = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer test-token',
        'x-namespace': TEST_NAMESPACE,
      },
      body,
    });
    expect(response.status).toBe(200);
    const decoded = (await response.json()) as {
      payloads: { metadata: Record<string, string>; data: string }[];
    };
    const text = decoded.payloads
      .map((payload) => Buffer.from(payload.data, 'base64').toString('utf8'))
      .join('\n');
    expect(text).toContain(phone);
    expect(text).toContain(email);
    expect(text).toContain(name);
    const failure = decoded.payloads
      .map((payload) => Buffer.from(payload.data, 'base64').toString('utf8'))
      .find((data) => data.includes('stack_trace'));
    expect(failure).toContain(customerKeyFor(phone, stack.services.customerKeySecret));
    expect(failure).not.toContain(phone.slice(1));

    // The Web UI's form: the token as a path segment, from the UI's origin.
    const fromUi = await fetch(`${codecUrl}/test-token/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: uiOrigin() },
      body,
    });
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(uiOrigin());
  });

  it('refuses to decode without a valid token', async () => {
    const body = JSON.stringify({ payloads: payloadsOf(history).map(payloadToJson) });
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }] as Record<string, string>[]) {
      const response = await fetch(`${codecUrl}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain(Buffer.from(phone).toString('base64'));
    }
    const wrongPath = await fetch(`${codecUrl}/wrong-token/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(wrongPath.status).toBe(401);
  });

  it('answers the browser preflight for the UI origin only, and refuses other origins even with the token', async () => {
    const preflight = (origin: string) =>
      fetch(`${codecUrl}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const allowed = await preflight(uiOrigin());
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(uiOrigin());
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-namespace');

    const other = await preflight('http://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer test-token',
        origin: 'http://evil.example',
      },
      body: JSON.stringify({ payloads: payloadsOf(history).map(payloadToJson) }),
    });
    expect(post.status).toBe(403);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('encodes for the UI (a signal typed in it) so the workers can read it', async () => {
    const response = await fetch(`${codecUrl}/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
      body: JSON.stringify({
        payloads: [
          {
            metadata: { encoding: Buffer.from('json/plain').toString('base64') },
            data: Buffer.from(`"${email}"`).toString('base64'),
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const [encoded] = (
      (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }
    ).payloads;
    expect(Buffer.from(encoded?.metadata.encoding ?? '', 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(encoded?.data ?? '', 'base64').toString('utf8')).not.toContain(email);
  });

  it('reads a run written before the codec: its plain payloads pass through the client and the endpoint unchanged', async () => {
    // A worker and a client without the codec, as every process was before it.
    const connection = await NativeConnection.connect({ address: sharedServerAddress() });
    const taskQueue = `pre-codec-${randomUUID()}`;
    const workflowId = `pre-codec-${randomUUID()}`;
    try {
      const worker = await Worker.create({
        connection,
        namespace: TEST_NAMESPACE,
        taskQueue,
        workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
      });
      await worker.runUntil(plain.workflow.execute(waitThenComplete, { taskQueue, workflowId, args: [10] }));
    } finally {
      await connection.close();
    }
    // Today's client (with the codec) reads the old run's result.
    expect(await stack.temporal.workflow.getHandle(workflowId).result()).toBe('waited 10 ms');
    const old = await plain.workflowService.getWorkflowExecutionHistory({
      namespace: TEST_NAMESPACE,
      execution: { workflowId },
    });
    const payloads = payloadsOf(old.history).map(payloadToJson);
    expect(payloads.length).toBeGreaterThan(1);
    const response = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
      body: JSON.stringify({ payloads }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { payloads: unknown[] }).payloads).toEqual(payloads);
  });
});
