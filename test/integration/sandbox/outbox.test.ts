import nodemailer from 'nodemailer';
import twilio from 'twilio';
import { startSandbox, type OutboxSnapshot, type TwilioSandbox } from '../../../sandbox';
import type { TwilioClient } from '../../../providers/twilio-client';
import { clientFor } from './support/sandbox-client';
import { startWebhookRecorder, type WebhookRecorder } from './support/webhook-recorder';

const XSS = '<img src=x onerror=alert(1)>';

describe('the sandbox outbox, inbound SMS and webhook redelivery', () => {
  let sandbox: TwilioSandbox;
  let client: TwilioClient;
  let hooks: WebhookRecorder;

  beforeAll(async () => {
    hooks = await startWebhookRecorder((request) => {
      if (request.path === '/sms-in') {
        const keyword = request.params.Body?.trim().toUpperCase();
        if (keyword === 'STOP')
          return {
            body: '<Response><Message>You are unsubscribed. Reply START to resubscribe.</Message></Response>',
          };
        if (keyword === 'HELP')
          return {
            body: '<Response><Message><Body>Recontact: reply STOP to opt out.</Body></Message></Response>',
          };
        return { body: '<Response/>' };
      }
      if (request.path === '/voice-xss')
        return { body: `<Response><Say>${XSS.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</Say></Response>` };
      return undefined;
    });
    sandbox = await startSandbox({ stepDelayMs: 5, inboundSmsUrl: `${hooks.url}/sms-in` });
    client = clientFor(sandbox);
  });
  afterAll(async () => {
    await sandbox.stop();
    await hooks.close();
  });

  it('serves every message, call and e-mail as JSON with the ms timestamps at which the sandbox accepted them', async () => {
    const before = Date.now();
    const first = await client.messages.create({ to: '+14155550181', from: '+15005550006', body: 'one' });
    const second = await client.messages.create({ to: '+14155550182', from: '+15005550006', body: 'two' });
    const call = await client.calls.create({
      to: '+14155550100',
      from: '+15005550006',
      twiml: '<Response><Say>Hi</Say></Response>',
    });
    await sandbox.idle();
    const response = await fetch(`${sandbox.url}/sandbox/outbox`);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const outbox = (await response.json()) as OutboxSnapshot;
    const one = outbox.messages.find((message) => message.sid === first.sid);
    const two = outbox.messages.find((message) => message.sid === second.sid);
    expect(one?.acceptedAt).toBeGreaterThanOrEqual(before);
    expect(two?.acceptedAt).toBeGreaterThanOrEqual(one?.acceptedAt ?? Infinity);
    expect(one?.events.map((event) => event.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    const recorded = outbox.calls.find((candidate) => candidate.sid === call.sid);
    expect(recorded).toMatchObject({ status: 'completed', documents: [{ purpose: 'inline', url: null }] });
    expect(recorded?.events.map((event) => event.status)).toEqual([
      'queued',
      'initiated',
      'ringing',
      'in-progress',
      'completed',
    ]);
    expect(recorded?.verbs).toEqual([
      expect.objectContaining({ verb: 'Say', text: 'Hi', at: expect.any(Number) }),
    ]);
  });

  it('escapes every customer-supplied string on the outbox page', async () => {
    await client.messages.create({ to: '+14155550183', from: '+15005550006', body: XSS });
    const transport = nodemailer.createTransport({
      host: sandbox.smtp.host,
      port: sandbox.smtp.port,
      secure: false,
    });
    await transport.sendMail({ from: 'x@example.com', to: 'y@example.com', subject: XSS, text: XSS });
    transport.close();
    const call = await client.calls.create({
      to: '+14155550100',
      from: '+15005550006',
      url: `${hooks.url}/voice-xss`,
    });
    await sandbox.outbox.waitFor((outbox) =>
      outbox.calls.find((candidate) => candidate.sid === call.sid && candidate.verbs.length > 0) &&
      outbox.emails.length > 0
        ? true
        : undefined,
    );
    const page = await fetch(`${sandbox.url}/sandbox/outbox.html`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html.match(/&lt;img src=x onerror=alert\(1\)&gt;/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('delivers an inbound STOP as a signed Twilio webhook and sends the TwiML reply back', async () => {
    const response = await fetch(`${sandbox.url}/sandbox/inbound-sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+14155550184', to: '+15005550006', body: 'STOP' }),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      messageSid: string;
      twiml: string;
      replies: { to: string; body: string }[];
    };
    expect(result.twiml).toContain('You are unsubscribed');
    expect(result.replies).toEqual([
      expect.objectContaining({ to: '+14155550184', body: expect.stringContaining('unsubscribed') }),
    ]);

    const webhook = hooks.to('/sms-in').find((request) => request.params.MessageSid === result.messageSid);
    expect(webhook?.params).toMatchObject({
      AccountSid: sandbox.accountSid,
      From: '+14155550184',
      To: '+15005550006',
      Body: 'STOP',
      SmsStatus: 'received',
      SmsSid: result.messageSid,
      SmsMessageSid: result.messageSid,
      NumMedia: '0',
      ApiVersion: '2010-04-01',
    });
    expect(
      twilio.validateRequest(
        sandbox.authToken,
        String(webhook?.headers['x-twilio-signature']),
        webhook?.url ?? '',
        webhook?.params ?? {},
      ),
    ).toBe(true);
    const inbound = await client.messages(result.messageSid).fetch();
    expect(inbound).toMatchObject({ direction: 'inbound', status: 'received', body: 'STOP' });
    await sandbox.idle();
    const reply = sandbox.outbox
      .snapshot()
      .messages.find((message) => message.direction === 'outbound-reply');
    expect(reply).toMatchObject({ from: '+15005550006', to: '+14155550184', status: 'delivered' });
  });

  it('simulates inbound SMS programmatically too (HELP with a <Body> reply), and refuses without a URL', async () => {
    const help = await sandbox.simulateInboundSms({ from: '+14155550185', to: '+15005550006', body: 'help' });
    expect(help.replies.map((reply) => reply.body)).toEqual(['Recontact: reply STOP to opt out.']);
    expect(help.httpStatus).toBe(200);

    const bare = await startSandbox({ stepDelayMs: 5 });
    try {
      const refused = await fetch(`${bare.url}/sandbox/inbound-sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: '+14155550185', to: '+15005550006', body: 'x' }),
      });
      expect(refused.status).toBe(409);
    } finally {
      await bare.stop();
    }
  });

  it('redelivers a status callback with the same signature and idempotency token', async () => {
    const message = await client.messages.create({
      to: '+14155550186',
      from: '+15005550006',
      body: 'x',
      statusCallback: `${hooks.url}/status`,
    });
    await sandbox.idle();
    const delivered = sandbox.outbox
      .snapshot()
      .callbacks.find(
        (callback) => callback.resourceSid === message.sid && callback.params.MessageStatus === 'delivered',
      );
    expect(delivered).toBeDefined();
    const response = await fetch(`${sandbox.url}/sandbox/callbacks/${delivered?.id}/redeliver`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    const copies = hooks
      .to('/status')
      .filter(
        (request) =>
          request.params.MessageSid === message.sid && request.params.MessageStatus === 'delivered',
      );
    expect(copies).toHaveLength(2);
    expect(copies[1]?.headers['i-twilio-idempotency-token']).toBe(
      copies[0]?.headers['i-twilio-idempotency-token'],
    );
    expect(copies[1]?.headers['x-twilio-signature']).toBe(copies[0]?.headers['x-twilio-signature']);
    expect(
      (await fetch(`${sandbox.url}/sandbox/callbacks/999999/redeliver`, { method: 'POST' })).status,
    ).toBe(404);
  });

  it('clears the outbox with DELETE /sandbox/outbox', async () => {
    await sandbox.idle();
    expect((await fetch(`${sandbox.url}/sandbox/outbox`, { method: 'DELETE' })).status).toBe(204);
    const outbox = sandbox.outbox.snapshot();
    expect([outbox.messages, outbox.calls, outbox.emails, outbox.callbacks]).toEqual([[], [], [], []]);
  });
});
