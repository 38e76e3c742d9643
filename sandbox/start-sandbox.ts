import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { z } from 'zod';
import { faultSchema, FaultSwitch, type Fault } from './fault-switch';
import { inboundSmsSchema, simulateInboundSms, type InboundSms, type InboundSmsResult } from './inbound-sms';
import { runMessageLifecycle } from './message-lifecycle';
import { Outbox, type OutboxCallback, type OutboxMessage } from './outbox';
import { renderOutboxPage } from './outbox-page';
import { BackgroundTasks } from './pause';
import { WebhookSender } from './signed-webhooks';
import { startSmtpSink } from './smtp-sink';
import { registerTwilioApi } from './twilio-api';
import { VoiceEngine } from './voice-engine';

const listenHost = z.enum(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']);
const allInterfaces = new Set(['0.0.0.0', '::']);
const port = z.number().int().min(0).max(65535);

export const sandboxOptionsSchema = z
  .object({
    /**
     * Interface both servers listen on: loopback, or every interface (`0.0.0.0`, `::`) only with
     * `allInterfaces` — for a container whose ports the host publishes on its own loopback.
     * @default "127.0.0.1"
     */
    host: listenHost.default('127.0.0.1'),
    /** Must be true for `host` 0.0.0.0 or ::. @default false */
    allInterfaces: z.boolean().default(false),
    /** Port of the Twilio API and the outbox page. @default 0 (a free port) */
    port: port.default(0),
    /** Port of the SMTP sink. @default 0 (a free port) */
    smtpPort: port.default(0),
    /** The account the API accepts (Basic auth user) and reports. @default "AC" + 32 zeros */
    accountSid: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/)
      .default(`AC${'0'.repeat(32)}`),
    /**
     * Basic auth password, and the key every webhook is signed with. A constant would let anyone who
     * read the source forge webhooks. @default a random token per sandbox
     */
    authToken: z
      .string()
      .min(1)
      .default(() => randomBytes(24).toString('base64url')),
    /**
     * Real time per simulated step (ringing, a verb, a message state). Small keeps tests fast;
     * larger makes a demo watchable. @default 20
     */
    stepDelayMs: z.number().int().min(0).max(60_000).default(20),
    /** Senders accepted besides Twilio's magic +15005550006 (SMS From, call From). @default [] */
    validFromNumbers: z.array(z.string().min(1)).default([]),
    /** Where `POST /sandbox/inbound-sms` delivers the inbound message webhook unless the request says. */
    inboundSmsUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Time limit of each webhook request (status callbacks, TwiML fetches). @default 5000 */
    webhookTimeoutMs: z.number().int().min(1).max(60_000).default(5000),
  })
  .refine((options) => options.allInterfaces || !allInterfaces.has(options.host), {
    path: ['host'],
    message: 'listening on every interface needs allInterfaces: true (the sandbox is a one-machine tool)',
  });

export type SandboxOptions = z.input<typeof sandboxOptionsSchema>;

export interface TwilioSandbox {
  /** Base URL of the Twilio API, e.g. `http://127.0.0.1:34567`: hand it to `createTwilioClient({ sandboxUrl })`. */
  url: string;
  accountSid: string;
  authToken: string;
  smtp: { host: string; port: number };
  outbox: Outbox;
  /** Makes the Twilio API answer 503 or 429 (error 20429) for `seconds`. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** A customer texts `to`: the signed inbound webhook goes to `url` or the configured `inboundSmsUrl`. */
  simulateInboundSms(input: InboundSms): Promise<InboundSmsResult>;
  setInboundSmsUrl(url: string | undefined): void;
  /** Sends a recorded webhook again with the same signature and idempotency token. */
  redeliverCallback(id: number): Promise<OutboxCallback | undefined>;
  /**
   * A person answering `number` stays on the line until `hangUp(number)`: a long conversation in a
   * test that skips workflow time while the call is live in real time.
   */
  holdConversations(number: string): void;
  /** The person on `number` hangs up (ends every open conversation with that number). */
  hangUp(number: string): void;
  /** Resolves when every message and call started so far has finished (callbacks included). */
  idle(): Promise<void>;
  /** Ends running calls without further callbacks and closes both servers. */
  stop(): Promise<void>;
}

/**
 * Starts the Twilio-compatible sandbox (Twilio API 2010 subset, outbox, control endpoints) and
 * the SMTP sink, both on loopback.
 *
 * @example
 * const sandbox = await startSandbox();
 * const client = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, sandboxUrl: sandbox.url });
 * await client.messages.create({ to: '+15005550006', from: '+15005550006', body: 'Hello' });
 * await sandbox.stop();
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<TwilioSandbox> {
  const config = sandboxOptionsSchema.parse(options);
  const outbox = new Outbox();
  const faults = new FaultSwitch();
  const tasks = new BackgroundTasks();
  const stopping = new AbortController();
  const webhooks = new WebhookSender(config.authToken, outbox, config.webhookTimeoutMs, stopping.signal);
  const voice = new VoiceEngine({
    outbox,
    webhooks,
    stepDelayMs: config.stepDelayMs,
    signal: stopping.signal,
    tasks,
  });
  const startMessage = (message: OutboxMessage): void =>
    tasks.track(
      runMessageLifecycle(message, {
        outbox,
        webhooks,
        stepDelayMs: config.stepDelayMs,
        signal: stopping.signal,
      }),
    );
  let inboundSmsUrl = config.inboundSmsUrl;

  const inboundSms = async (input: InboundSms): Promise<InboundSmsResult> => {
    const url = input.url ?? inboundSmsUrl;
    if (url === undefined) throw new Error('no inbound SMS webhook URL: pass `url` or set `inboundSmsUrl`');
    return simulateInboundSms(input, url, { accountSid: config.accountSid, outbox, webhooks, startMessage });
  };

  const app = Fastify({ logger: false, forceCloseConnections: true });
  await registerTwilioApi(app, {
    accountSid: config.accountSid,
    authToken: config.authToken,
    outbox,
    voice,
    faults,
    validFrom: new Set(config.validFromNumbers),
    startMessage,
  });

  // Control endpoints: loopback only, no auth (the sandbox is a local tool).
  app.get('/sandbox/outbox', async () => outbox.snapshot());
  app.delete('/sandbox/outbox', async (_request, reply) => {
    outbox.clear();
    return reply.code(204).send();
  });
  app.get('/sandbox/outbox.html', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(renderOutboxPage(outbox.snapshot())),
  );
  app.post('/sandbox/faults', async (request, reply) => {
    const parsed = faultSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    return faults.inject(parsed.data);
  });
  app.delete('/sandbox/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
  app.post('/sandbox/inbound-sms', async (request, reply) => {
    const parsed = inboundSmsSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    if (parsed.data.url === undefined && inboundSmsUrl === undefined) {
      return reply
        .code(409)
        .send({ error: 'no inbound SMS webhook URL: pass "url" or start the sandbox with inboundSmsUrl' });
    }
    return inboundSms(parsed.data);
  });
  app.post('/sandbox/callbacks/:id/redeliver', async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    const result = Number.isInteger(id) ? await webhooks.redeliver(id) : undefined;
    if (result === undefined) return reply.code(404).send({ error: `no webhook ${String(id)}` });
    return result.callback;
  });
  app.get('/', async (_request, reply) => reply.redirect('/sandbox/outbox.html'));

  await app.listen({ host: config.host, port: config.port });
  const { port: apiPort } = app.server.address() as AddressInfo;
  let smtp;
  try {
    smtp = await startSmtpSink({ outbox, host: config.host, port: config.smtpPort });
  } catch (error) {
    await app.close();
    throw error;
  }
  // Listening everywhere, the sandbox is still reached through loopback from this machine.
  const reachAt = allInterfaces.has(config.host) ? '127.0.0.1' : config.host;
  const hostInUrl = reachAt === '::1' ? '[::1]' : reachAt;

  return {
    url: `http://${hostInUrl}:${apiPort}`,
    accountSid: config.accountSid,
    authToken: config.authToken,
    smtp: { host: reachAt, port: smtp.port },
    outbox,
    injectFault: (fault) => {
      faults.inject(faultSchema.parse(fault));
    },
    clearFaults: () => faults.clear(),
    simulateInboundSms: (input) => inboundSms(inboundSmsSchema.parse(input)),
    setInboundSmsUrl: (url) => {
      inboundSmsUrl = url;
    },
    redeliverCallback: async (id) => (await webhooks.redeliver(id))?.callback,
    holdConversations: (number) => voice.holdConversations(number),
    hangUp: (number) => voice.hangUp(number),
    idle: () => tasks.idle(),
    stop: async () => {
      stopping.abort();
      voice.stopAll();
      await tasks.idle();
      await Promise.all([app.close(), smtp.close()]);
    },
  };
}
