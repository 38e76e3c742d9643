import twilio from 'twilio';
import { startSandbox, type TwilioSandbox } from '../../../sandbox';
import { createTwilioClient, type TwilioClient } from '../../../providers/twilio-client';
import { clientFor, restError } from './support/sandbox-client';
import { startWebhookRecorder, type WebhookRecorder } from './support/webhook-recorder';

describe('the Twilio sandbox: messages through the official twilio library', () => {
  let sandbox: TwilioSandbox;
  let client: TwilioClient;
  let hooks: WebhookRecorder;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 5 });
    client = clientFor(sandbox);
    hooks = await startWebhookRecorder();
  });
  afterAll(async () => {
    await sandbox.stop();
    await hooks.close();
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
    ['not-a-number', 21211],
  ])('refuses To %s with Twilio error %i and sends nothing', async (to, code) => {
    const error = await restError(client.messages.create({ to, from: '+15005550006', body: 'hello' }));
    expect(error).toMatchObject({ status: 400, code });
    expect(sandbox.outbox.snapshot().messages.some((message) => message.to === to)).toBe(false);
  });

  it.each([
    ['+15005550001', 21212],
    ['+15005550007', 21606],
    ['+15005550008', 21611],
    ['+14155550199', 21606],
  ])('refuses From %s with Twilio error %i', async (from, code) => {
    const error = await restError(client.messages.create({ to: '+15005550006', from, body: 'hello' }));
    expect(error).toMatchObject({ status: 400, code });
  });

  it('accepts To +15005550006 from +15005550006 and answers in the Message resource shape', async () => {
    const message = await client.messages.create({
      to: '+15005550006',
      from: '+15005550006',
      body: 'Hola 👋',
    });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      accountSid: sandbox.accountSid,
      to: '+15005550006',
      from: '+15005550006',
      body: 'Hola 👋',
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      errorCode: null,
      apiVersion: '2010-04-01',
    });
    expect(message.dateCreated).toBeInstanceOf(Date);
    const fetched = await client.messages(message.sid).fetch();
    expect(fetched.sid).toBe(message.sid);
  });

  it('answers a missing To, From or Body with the errors Twilio gives', async () => {
    expect(
      await restError(client.messages.create({ to: '', from: '+15005550006', body: 'x' })),
    ).toMatchObject({
      code: 21604,
    });
    expect(await restError(client.messages.create({ to: '+15005550006', body: 'x' } as never))).toMatchObject(
      {
        code: 21603,
      },
    );
    expect(
      await restError(client.messages.create({ to: '+15005550006', from: '+15005550006' })),
    ).toMatchObject({
      code: 21602,
    });
  });

  it('posts signed, form-encoded status callbacks in order: queued, sending, sent, delivered', async () => {
    const statusCallback = `${hooks.url}/sms-status?attempt=a1`;
    const message = await client.messages.create({
      to: '+14155550199',
      from: '+15005550006',
      body: 'Your callback is booked',
      statusCallback,
    });
    const callbacks = await hooks.waitFor((requests) => {
      const mine = requests.filter((request) => request.params.MessageSid === message.sid);
      return mine.length === 4 ? mine : undefined;
    });
    expect(callbacks.map((request) => request.params.MessageStatus)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ]);
    for (const request of callbacks) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(request.url).toBe(statusCallback);
      const signature = String(request.headers['x-twilio-signature']);
      expect(twilio.validateRequest(sandbox.authToken, signature, request.url, request.params)).toBe(true);
      expect(twilio.validateRequest('another-token', signature, request.url, request.params)).toBe(false);
      expect(request.headers['i-twilio-idempotency-token']).toEqual(expect.any(String));
      expect(request.params).toMatchObject({
        AccountSid: sandbox.accountSid,
        From: '+15005550006',
        To: '+14155550199',
        SmsSid: message.sid,
        SmsStatus: request.params.MessageStatus,
        ApiVersion: '2010-04-01',
      });
    }
    const tokens = new Set(callbacks.map((request) => request.headers['i-twilio-idempotency-token']));
    expect(tokens.size).toBe(4);
    expect(callbacks.at(-1)?.params.RawDlrDoneDate).toMatch(/^\d{10}$/);
    const delivered = await client.messages(message.sid).fetch();
    expect(delivered.status).toBe('delivered');
    expect(delivered.dateSent).toBeInstanceOf(Date);
  });

  it.each([
    ['+14155550110', 'undelivered', 30003],
    ['+14155550112', 'undelivered', 30006],
    ['+14155550114', 'failed', 30008],
  ])('ends a message to scenario number %s as %s with ErrorCode %i', async (to, status, errorCode) => {
    const message = await client.messages.create({
      to,
      from: '+15005550006',
      body: 'x',
      statusCallback: `${hooks.url}/sms-status`,
    });
    const last = await hooks.waitFor((requests) =>
      requests.find(
        (request) => request.params.MessageSid === message.sid && request.params.MessageStatus === status,
      ),
    );
    expect(last.params.ErrorCode).toBe(String(errorCode));
    const fetched = await client.messages(message.sid).fetch();
    expect(fetched).toMatchObject({ status, errorCode });
    expect(fetched.errorMessage).toEqual(expect.any(String));
  });

  it('lists messages with the To and DateSent> filters and pages like Twilio', async () => {
    const to = '+14155550177';
    const before = new Date(Date.now() - 1000);
    const sids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      sids.push((await client.messages.create({ to, from: '+15005550006', body: `n${index}` })).sid);
    }
    await client.messages.create({ to: '+14155550178', from: '+15005550006', body: 'other' });
    await sandbox.idle();

    const listed = await client.messages.list({ to, dateSentAfter: before, pageSize: 2 });
    expect(listed.map((message) => message.sid)).toEqual([...sids].reverse());
    expect(await client.messages.list({ to, dateSentAfter: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await client.messages.list({ to, dateSentBefore: new Date(before.getTime() - 60_000) })).toEqual(
      [],
    );

    const page = await client.messages.page({ to, pageSize: 2 });
    expect(page.instances).toHaveLength(2);
    expect(page.nextPageUrl).toContain('Page=1');
    const next = await page.nextPage();
    expect(next?.instances.map((message) => message.sid)).toEqual([sids[0]]);
  });

  it('refuses a wrong auth token with 401 and Twilio error 20003', async () => {
    const wrong = createTwilioClient({
      accountSid: sandbox.accountSid,
      authToken: 'wrong',
      sandboxUrl: sandbox.url,
    });
    const error = await restError(
      wrong.messages.create({ to: '+15005550006', from: '+15005550006', body: 'x' }),
    );
    expect(error).toMatchObject({ status: 401, code: 20003 });
    const otherAccount = createTwilioClient({
      accountSid: `AC${'1'.repeat(32)}`,
      authToken: sandbox.authToken,
      sandboxUrl: sandbox.url,
    });
    expect(await restError(otherAccount.messages.list({ limit: 1 }))).toMatchObject({
      status: 401,
      code: 20003,
    });
  });

  it('answers an unknown message with 404 and Twilio error 20404', async () => {
    const error = await restError(client.messages(`SM${'f'.repeat(32)}`).fetch());
    expect(error).toMatchObject({ status: 404, code: 20404 });
  });
});
