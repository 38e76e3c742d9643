import twilio from 'twilio';
import { scenarioNumbers, startSandbox, type OutboxCall, type TwilioSandbox } from '../../../sandbox';
import type { TwilioClient } from '../../../providers/twilio-client';
import { clientFor, restError } from './support/sandbox-client';
import { startWebhookRecorder, type RecordedRequest, type WebhookRecorder } from './support/webhook-recorder';

const scenario = (name: string): string => {
  const row = scenarioNumbers.find((entry) => entry.channel === 'voice' && entry.name === name);
  if (!row) throw new Error(`no voice scenario ${name}`);
  return row.number;
};
const AGENT = scenario('human');
const twiml = (inner: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

function signedByTwilio(sandbox: TwilioSandbox, request: RecordedRequest): boolean {
  const signature = String(request.headers['x-twilio-signature']);
  return request.method === 'GET'
    ? twilio.validateRequest(sandbox.authToken, signature, request.url, {})
    : twilio.validateRequest(sandbox.authToken, signature, request.url, request.params);
}

async function finished(sandbox: TwilioSandbox, sid: string): Promise<OutboxCall> {
  return sandbox.outbox.waitFor((outbox) => {
    const call = outbox.calls.find((candidate) => candidate.sid === sid);
    return call?.endTime !== null && call?.endTime !== undefined ? call : undefined;
  });
}

describe('the Twilio sandbox: calls through the official twilio library', () => {
  let sandbox: TwilioSandbox;
  let client: TwilioClient;
  let hooks: WebhookRecorder;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 5 });
    client = clientFor(sandbox);
    hooks = await startWebhookRecorder((request) => {
      const path = request.path.split('?')[0];
      if (path === '/agent') {
        const customer = new URL(request.url).searchParams.get('customer') ?? '';
        return {
          body: twiml(
            `<Say>Connecting you to the customer</Say>` +
              `<Dial action="/dial-result" method="POST" timeout="20" callerId="+15005550006" answerOnBridge="true">` +
              `<Number machineDetection="DetectMessageEnd" amdStatusCallback="/amd" statusCallback="/customer-status" statusCallbackEvent="initiated ringing answered completed">${customer}</Number>` +
              `</Dial><Say>not reached</Say>`,
          ),
        };
      }
      if (path === '/dial-result') {
        return {
          body:
            request.params.DialCallStatus === 'completed'
              ? twiml('<Say>The customer left</Say><Hangup/>')
              : twiml('<Say>We could not reach the customer</Say>'),
        };
      }
      if (path === '/screen') {
        return {
          body: request.params.AnsweredBy?.startsWith('machine')
            ? twiml('<Pause length="1"/><Say>Hello, this is your callback. We will try again.</Say><Hangup/>')
            : twiml(''),
        };
      }
      if (path === '/hold') return { body: twiml('<Pause length="10"/><Redirect>/hold</Redirect>') };
      if (path === '/transfer') return { body: twiml('<Say>Transferred</Say>') };
      if (path === '/broken') return { status: 500, body: 'oops' };
      if (path === '/not-twiml') return { body: '<Response><Say>unclosed</Response>' };
      return undefined;
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    await hooks.close();
  });

  it.each([
    ['+15005550001', 21217],
    ['+15005550002', 21214],
    ['+15005550003', 21215],
    ['+15005550004', 21216],
  ])("refuses To %s with Twilio's test-credential error %i", async (to, code) => {
    const error = await restError(
      client.calls.create({ to, from: '+15005550006', url: `${hooks.url}/agent` }),
    );
    expect(error).toMatchObject({ status: 400, code });
  });

  it.each([
    ['+15005550001', 21212],
    ['+14155550150', 21210],
  ])('refuses From %s with Twilio error %i', async (from, code) => {
    const error = await restError(client.calls.create({ to: AGENT, from, url: `${hooks.url}/agent` }));
    expect(error).toMatchObject({ status: 400, code });
  });

  it.each([
    ['human', 'completed', 'human', ['initiated', 'ringing', 'in-progress', 'completed']],
    ['voicemail', 'completed', 'machine_end_beep', ['initiated', 'ringing', 'in-progress', 'completed']],
    ['busy', 'busy', null, ['initiated', 'ringing', 'busy']],
    ['no-answer', 'no-answer', null, ['initiated', 'ringing', 'no-answer']],
    ['failed', 'failed', null, ['initiated', 'ringing', 'failed']],
  ])(
    'a direct call to the %s number ends %s (AnsweredBy %s) with callbacks in order',
    async (name, status, answeredBy, statuses) => {
      const statusCallback = `${hooks.url}/status/${name}`;
      const call = await client.calls.create({
        to: scenario(name),
        from: '+15005550006',
        url: `${hooks.url}/direct/${name}`,
        machineDetection: 'DetectMessageEnd',
        statusCallback,
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      });
      expect(call).toMatchObject({ status: 'queued', direction: 'outbound-api', to: scenario(name) });
      await finished(sandbox, call.sid);
      const callbacks = await hooks.waitFor((requests) => {
        const mine = requests.filter(
          (request) => request.params.CallSid === call.sid && request.path === `/status/${name}`,
        );
        return mine.length === statuses.length ? mine : undefined;
      });
      expect(callbacks.map((request) => request.params.CallStatus)).toEqual(statuses);
      expect(callbacks.map((request) => request.params.SequenceNumber)).toEqual(
        statuses.map((_, index) => String(index)),
      );
      expect(callbacks.every((request) => signedByTwilio(sandbox, request))).toBe(true);
      const last = callbacks.at(-1)?.params;
      expect(last).toMatchObject({
        CallStatus: status,
        CallbackSource: 'call-progress-events',
        Direction: 'outbound-api',
      });
      expect(last?.AnsweredBy).toBe(answeredBy ?? undefined);

      const voiceRequests = hooks
        .to(`/direct/${name}`)
        .filter((request) => request.params.CallSid === call.sid);
      expect(voiceRequests).toHaveLength(answeredBy === null ? 0 : 1);
      if (answeredBy !== null) {
        expect(voiceRequests[0]?.params).toMatchObject({ CallStatus: 'in-progress', AnsweredBy: answeredBy });
        expect(signedByTwilio(sandbox, voiceRequests[0] as RecordedRequest)).toBe(true);
      }
      const fetched = await client.calls(call.sid).fetch();
      expect(fetched.status).toBe(status);
      expect(fetched.answeredBy).toBe(answeredBy);
    },
  );

  it('reports machine_start for voicemail with machineDetection Enable', async () => {
    const call = await client.calls.create({
      to: scenario('voicemail'),
      from: '+15005550006',
      twiml: twiml('<Say>Hi</Say>'),
      machineDetection: 'Enable',
    });
    expect((await finished(sandbox, call.sid)).answeredBy).toBe('machine_start');
  });

  describe('agent first, then <Dial> the customer with answering-machine detection', () => {
    it.each([
      ['human', 'completed', 'human', '30'],
      ['voicemail', 'completed', 'machine_end_beep', '20'],
      ['busy', 'busy', undefined, undefined],
      ['no-answer', 'no-answer', undefined, undefined],
      ['failed', 'failed', undefined, undefined],
    ])(
      'customer %s → DialCallStatus %s, AnsweredBy %s, DialCallDuration %s',
      async (name, dialStatus, amd, duration) => {
        const customer = scenario(name);
        const call = await client.calls.create({
          to: AGENT,
          from: '+15005550006',
          url: `${hooks.url}/agent?customer=${encodeURIComponent(customer)}`,
        });
        const parent = await finished(sandbox, call.sid);
        const actions = hooks.to('/dial-result').filter((request) => request.params.CallSid === call.sid);
        expect(actions).toHaveLength(1);
        const action = actions[0] as RecordedRequest;
        expect(signedByTwilio(sandbox, action)).toBe(true);
        const leg = parent.legs[0] as OutboxCall;
        expect(parent.legs).toHaveLength(1);
        expect(action.params).toMatchObject({
          DialCallStatus: dialStatus,
          DialCallSid: leg.sid,
          CallSid: call.sid,
          CallStatus: 'in-progress',
          From: '+15005550006',
          To: AGENT,
        });
        expect(action.params.DialCallDuration).toBe(duration);
        expect(leg).toMatchObject({
          parentCallSid: call.sid,
          direction: 'outbound-dial',
          from: '+15005550006',
          to: customer,
          scenario: name,
          status: dialStatus,
        });

        const legCallbacks = hooks
          .to('/customer-status')
          .filter((request) => request.params.CallSid === leg.sid);
        expect(legCallbacks.map((request) => request.params.CallStatus)).toEqual(
          amd === undefined
            ? ['initiated', 'ringing', dialStatus]
            : ['initiated', 'ringing', 'in-progress', 'completed'],
        );
        expect(legCallbacks.every((request) => request.params.ParentCallSid === call.sid)).toBe(true);
        const amdCallbacks = hooks.to('/amd').filter((request) => request.params.CallSid === leg.sid);
        expect(amdCallbacks.map((request) => request.params.AnsweredBy)).toEqual(
          amd === undefined ? [] : [amd],
        );

        // The agent heard the intro, then what the action answered; never the verb after <Dial>.
        const spoken = parent.verbs.filter((verb) => verb.verb === 'Say').map((verb) => verb.text);
        expect(spoken).toEqual([
          'Connecting you to the customer',
          dialStatus === 'completed' ? 'The customer left' : 'We could not reach the customer',
        ]);
        expect(parent.documents.map((document) => document.purpose)).toEqual(['voice-url', 'dial-action']);
        expect(parent.status).toBe('completed');
      },
    );

    it('leaves a voicemail through the <Number url> screening document and reports no-answer', async () => {
      const call = await client.calls.create({
        to: AGENT,
        from: '+15005550006',
        twiml: twiml(
          `<Dial action="${hooks.url}/dial-result" timeout="15"><Number machineDetection="DetectMessageEnd" url="${hooks.url}/screen">${scenario('voicemail')}</Number></Dial>`,
        ),
      });
      const parent = await finished(sandbox, call.sid);
      const leg = parent.legs[0] as OutboxCall;
      const screen = hooks.to('/screen').find((request) => request.params.CallSid === leg.sid);
      expect(screen?.params).toMatchObject({ AnsweredBy: 'machine_end_beep', ParentCallSid: call.sid });
      expect(leg.verbs.map((verb) => verb.verb)).toEqual(['Pause', 'Say', 'Hangup']);
      expect(leg.verbs[1]?.text).toContain('your callback');
      const action = hooks.to('/dial-result').find((request) => request.params.CallSid === call.sid);
      expect(action?.params).toMatchObject({
        DialCallStatus: 'no-answer',
        DialBridged: 'false',
        DialCallSid: leg.sid,
      });
    });

    it('bridges a person through the same screening document when it returns no verbs', async () => {
      const call = await client.calls.create({
        to: AGENT,
        from: '+15005550006',
        twiml: twiml(
          `<Dial action="${hooks.url}/dial-result"><Number machineDetection="Enable" url="${hooks.url}/screen">${scenario('human')}</Number></Dial>`,
        ),
      });
      const parent = await finished(sandbox, call.sid);
      const action = hooks.to('/dial-result').find((request) => request.params.CallSid === call.sid);
      expect(action?.params).toMatchObject({
        DialCallStatus: 'completed',
        DialBridged: 'true',
        DialCallDuration: '30',
      });
      const leg = parent.legs[0] as OutboxCall;
      expect(leg.documents.map((document) => [document.purpose, document.params.AnsweredBy])).toEqual([
        ['number-url', 'human'],
      ]);
      expect(leg.verbs).toEqual([]);
    });

    it('records an unresolvable relative <Number url> in inline TwiML (11100) and bridges without screening', async () => {
      const call = await client.calls.create({
        to: AGENT,
        from: '+15005550006',
        twiml: twiml(`<Dial><Number url="/screen">${scenario('human')}</Number></Dial>`),
      });
      const parent = await finished(sandbox, call.sid);
      expect(parent.errors.map((error) => error.code)).toEqual([11100]);
      expect(parent.legs[0]).toMatchObject({ status: 'completed', documents: [] });
    });
  });

  it('sends status callbacks with GET when StatusCallbackMethod is GET, signed over the full URL', async () => {
    const call = await client.calls.create({
      to: scenario('busy'),
      from: '+15005550006',
      url: `${hooks.url}/agent`,
      statusCallback: `${hooks.url}/get-status?attempt=7`,
      statusCallbackMethod: 'GET',
    });
    const request = await hooks.waitFor((requests) =>
      requests.find(
        (candidate) => candidate.path.startsWith('/get-status') && candidate.params.CallSid === call.sid,
      ),
    );
    expect(request.method).toBe('GET');
    expect(request.params).toMatchObject({
      attempt: '7',
      CallStatus: 'busy',
      SipResponseCode: '486',
      CallDuration: '0',
    });
    expect(signedByTwilio(sandbox, request)).toBe(true);
  });

  it('records an HTTP retrieval failure (11200), tries the FallbackUrl, and records unparsable TwiML (12100)', async () => {
    const withFallback = await client.calls.create({
      to: AGENT,
      from: '+15005550006',
      url: `${hooks.url}/broken`,
      fallbackUrl: `${hooks.url}/transfer`,
    });
    const rescued = await finished(sandbox, withFallback.sid);
    expect(rescued.errors.map((error) => error.code)).toEqual([11200]);
    expect(rescued.verbs.map((verb) => verb.text)).toEqual(['Transferred']);

    const broken = await client.calls.create({
      to: AGENT,
      from: '+15005550006',
      url: `${hooks.url}/not-twiml`,
    });
    const failed = await finished(sandbox, broken.sid);
    expect(failed.errors.map((error) => error.code)).toEqual([12100]);
    expect(failed.status).toBe('completed');
  });

  it('lists calls and their legs with Twilio filters', async () => {
    const call = await client.calls.create({
      to: AGENT,
      from: '+15005550006',
      url: `${hooks.url}/agent?customer=${encodeURIComponent(scenario('human'))}`,
    });
    const parent = await finished(sandbox, call.sid);
    const legs = await client.calls.list({ parentCallSid: call.sid });
    expect(legs.map((leg) => leg.sid)).toEqual([parent.legs[0]?.sid]);
    expect(legs[0]).toMatchObject({ parentCallSid: call.sid, status: 'completed', duration: '30' });
    const busy = await client.calls.list({ to: scenario('busy'), status: 'busy' });
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((candidate) => candidate.status === 'busy')).toBe(true);
  });
});

describe('the Twilio sandbox: updating a call (cancel, hang up, redirect)', () => {
  let sandbox: TwilioSandbox;
  let client: TwilioClient;
  let hooks: WebhookRecorder;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 30 });
    client = clientFor(sandbox);
    hooks = await startWebhookRecorder((request) => {
      const path = request.path.split('?')[0];
      if (path === '/hold') return { body: twiml('<Pause length="10"/><Redirect>/hold</Redirect>') };
      if (path === '/transfer') return { body: twiml('<Say>Transferred</Say>') };
      return undefined;
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    await hooks.close();
  });

  const onHold = async (): Promise<string> => {
    const call = await client.calls.create({
      to: AGENT,
      from: '+15005550006',
      url: `${hooks.url}/hold`,
      statusCallback: `${hooks.url}/status`,
    });
    await hooks.waitFor((requests) => requests.find((request) => request.params.CallSid === call.sid));
    return call.sid;
  };

  it('cancels a call that has not been answered', async () => {
    const call = await client.calls.create({ to: AGENT, from: '+15005550006', url: `${hooks.url}/hold` });
    const canceled = await client.calls(call.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');
    expect((await finished(sandbox, call.sid)).status).toBe('canceled');
    expect(hooks.requests.some((request) => request.params.CallSid === call.sid)).toBe(false);
  });

  it('hangs up an in-progress call with Status=completed and posts completed', async () => {
    const sid = await onHold();
    const updated = await client.calls(sid).update({ status: 'completed' });
    expect(updated.status).toBe('completed');
    const completed = await hooks.waitFor((requests) =>
      requests.find((request) => request.params.CallSid === sid && request.path === '/status'),
    );
    expect(completed.params).toMatchObject({ CallStatus: 'completed', SipResponseCode: '200' });
    // canceled is ignored once a call is in progress, as on Twilio
    expect((await client.calls(sid).update({ status: 'canceled' })).status).toBe('completed');
  });

  it('redirects an in-progress call to a new Url, and to inline Twiml', async () => {
    const sid = await onHold();
    await client.calls(sid).update({ url: `${hooks.url}/transfer`, method: 'POST' });
    const call = await finished(sandbox, sid);
    expect(call.documents.at(-1)).toMatchObject({
      purpose: 'update',
      url: `${hooks.url}/transfer`,
      method: 'POST',
    });
    expect(call.verbs.at(-1)).toMatchObject({ verb: 'Say', text: 'Transferred' });

    const second = await onHold();
    await client.calls(second).update({ twiml: twiml('<Say>Inline goodbye</Say><Hangup/>') });
    const ended = await finished(sandbox, second);
    expect(ended.verbs.slice(-2).map((verb) => verb.verb)).toEqual(['Say', 'Hangup']);
  });

  it('refuses to redirect a call that is over (21220)', async () => {
    const sid = await onHold();
    await client.calls(sid).update({ status: 'completed' });
    await finished(sandbox, sid);
    expect(await restError(client.calls(sid).update({ url: `${hooks.url}/transfer` }))).toMatchObject({
      status: 400,
      code: 21220,
    });
  });
});
