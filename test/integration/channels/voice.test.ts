import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { createServer, type Server } from 'node:http';
import { createPlaceCall, type CallRequest } from '../../../activities/channels/place-call';
import { createTwilioClient, type TwilioClient } from '../../../providers/twilio-client';
import { SANDBOX_ACCOUNT_SID } from '../../../runtime/services';
import { waitThenComplete } from '../../workflows/wait-then-complete';
import { customerKeyFor } from '../../../domain/customer-key';
import { channelTaskQueue } from '../../../domain/channels';
import { callAndWatch } from '../../workflows/channel-probes';
import { startChannelStack, type ChannelStack, sentOrThrow } from '../../harness/channels';

const agentPhone = '+14155550123';

describe('agent-first calls through the official twilio library and the sandbox', () => {
  let stack: ChannelStack;
  beforeAll(async () => {
    stack = await startChannelStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const call = async (customerPhone: string) => {
    const workflowId = `call-${randomUUID()}`;
    const result = await stack.temporal.workflow.execute(callAndWatch, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [
        channelTaskQueue(stack.config.TEMPORAL_TASK_QUEUE, 'voice'),
        {
          attemptKey: randomUUID(),
          workflowId,
          agentPhone,
          customerPhone,
          customerKey: customerKeyFor(customerPhone, stack.services.customerKeySecret),
          purpose: 'callback',
          category: 'service',
        },
      ],
    });
    await stack.sandbox.idle();
    const agentCall = stack.sandbox.outbox.findCall(result.callSid);
    if (agentCall === undefined) throw new Error('the agent call is not in the outbox');
    return { ...result, agentCall, customerLeg: agentCall.legs[0] };
  };

  it('rings the agent first and dials the customer only after the agent answered, then bridges a person', async () => {
    const { agentCall, customerLeg, statuses } = await call('+14155550100');
    expect(agentCall.to).toBe(agentPhone);
    expect(customerLeg).toMatchObject({
      to: '+14155550100',
      parentCallSid: agentCall.sid,
      answeredBy: 'human',
    });
    const agentAnswered = agentCall.events.find((event) => event.status === 'in-progress')?.at;
    expect(agentAnswered).toBeDefined();
    expect(customerLeg?.dateCreated).toBeGreaterThanOrEqual(agentAnswered ?? Infinity);
    expect(statuses.find((status) => status.status === 'dial-result')?.dialCallStatus).toBe('completed');
  });

  it('recognises voicemail on the customer leg and leaves the message', async () => {
    const { customerLeg, statuses } = await call('+14155550103');
    expect(customerLeg?.answeredBy).toBe('machine_end_beep');
    expect(statuses.find((status) => status.status === 'customer-answered')?.answeredBy).toBe(
      'machine_end_beep',
    );
    const said = (customerLeg?.verbs ?? []).filter((verb) => verb.verb === 'Say').map((verb) => verb.text);
    expect(said.join(' ')).toContain('returning your call');
  });

  it.each([
    ['+14155550101', 'busy'],
    ['+14155550102', 'no-answer'],
    ['+14155550104', 'failed'],
  ])('reports %s as DialCallStatus %s to the workflow', async (customerPhone, dialCallStatus) => {
    const { statuses } = await call(customerPhone);
    expect(statuses.find((status) => status.status === 'dial-result')?.dialCallStatus).toBe(dialCallStatus);
  });
});

/**
 * A proxy in front of the sandbox that forwards a call create and then drops the connection: Twilio
 * placed the call, the worker never learns its SID (a crash or a lost answer after acceptance).
 */
function startAnswerLosingProxy(target: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const upstream = await fetch(`${target}${request.url ?? ''}`, {
          method: request.method,
          headers: Object.fromEntries(
            Object.entries(request.headers).filter(
              (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
            ),
          ),
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        if (request.method === 'POST' && (request.url ?? '').endsWith('/Calls.json')) {
          response.socket?.destroy();
          return;
        }
        response.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        });
        response.end(body);
      })();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    }),
  );
}

describe('voice webhooks for a run that has closed', () => {
  let stack: ChannelStack;
  beforeAll(async () => {
    stack = await startChannelStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('still answer the call with TwiML (bridge or hang up), never an error the customer would hear', async () => {
    const workflowId = `callback-${randomUUID()}`;
    await stack.temporal.workflow.execute(waitThenComplete, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [1],
    });
    const query = new URLSearchParams({
      workflowId,
      attemptKey: `${workflowId}/voice/1`,
      locale: 'en',
      onVoicemail: 'hang-up',
    }).toString();
    const post = async (route: string, params: Record<string, string>) => {
      const url = `${stack.services.publicUrl}/webhooks/twilio/voice/${route}?${query}`;
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(
            stack.services.twilioAuthToken,
            url,
            params,
          ),
        },
        body: new URLSearchParams(params).toString(),
      });
    };
    const account = { AccountSid: `AC${'0'.repeat(32)}`, CallSid: 'CA0456' };
    const answered = await post('customer-answered', { ...account, AnsweredBy: 'human' });
    expect(answered.status).toBe(200);
    // An empty response: the customer who picked up is bridged to the agent on the line.
    expect(await answered.text()).toMatch(/<Response\/>/);
    const result = await post('dial-result', { ...account, DialCallStatus: 'completed' });
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('<Hangup/>');
  });
});

describe('placeCall after a failure: adopts only the call of its own attempt key', () => {
  let stack: ChannelStack;
  const owners: string[] = [];
  beforeAll(async () => {
    stack = await startChannelStack();
  });
  afterAll(async () => {
    for (const workflowId of owners)
      await stack.temporal.workflow.getHandle(workflowId).terminate('test done');
    await stack?.stop();
  });

  /** The activity as a worker builds it, on this stack's store and sandbox (or another Twilio client). */
  const placeCallWith = (twilioClient: TwilioClient = stack.services.twilio) =>
    createPlaceCall({
      twilio: twilioClient,
      store: stack.services.store,
      from: stack.config.TWILIO_VOICE_FROM,
      publicUrl: stack.services.publicUrl,
    });
  /** A callback run that owns an attempt: the webhooks signal it while the call goes on. */
  const request = async (agent: string, customerPhone: string): Promise<CallRequest> => {
    const workflowId = `call-owner-${randomUUID()}`;
    await stack.temporal.workflow.start(waitThenComplete, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [120_000],
    });
    owners.push(workflowId);
    return {
      attemptKey: `${workflowId}/${randomUUID()}/voice/1`,
      workflowId,
      agentPhone: agent,
      customerPhone,
      customerKey: customerKeyFor(customerPhone, stack.services.customerKeySecret),
      purpose: 'callback',
      category: 'service',
    };
  };
  const callsTo = (agent: string) => stack.sandbox.outbox.listCalls().filter((call) => call.to === agent);

  it("never adopts another callback's call to the same agent", async () => {
    const agent = '+14155550125';
    const first = sentOrThrow(await placeCallWith()(await request(agent, '+14155550100')));
    // A second callback for the same agent seconds later, whose first try died before reaching Twilio.
    const second = await request(agent, '+14155550105');
    await stack.services.store.beginAttempt({
      attemptKey: second.attemptKey,
      channel: 'voice',
      to: second.customerPhone,
      startedAt: Date.now(),
    });
    const retried = sentOrThrow(await placeCallWith()(second));

    expect(retried.callSid).not.toBe(first.callSid);
    expect(retried.alreadyPlaced).toBe(false);
    expect(new Set(callsTo(agent).map((call) => call.sid))).toEqual(
      new Set([first.callSid, retried.callSid]),
    );
    expect((await stack.services.store.getAttempt(second.attemptKey))?.providerId).toBe(retried.callSid);
  }, 30_000);

  it('places exactly one call when the answer to an accepted create is lost, and the retry returns its SID', async () => {
    const agent = '+14155550126';
    const proxy = await startAnswerLosingProxy(stack.sandbox.url);
    const lostAnswers = createTwilioClient({
      accountSid: SANDBOX_ACCOUNT_SID,
      authToken: stack.services.twilioAuthToken,
      sandboxUrl: proxy.url,
    });
    const call = await request(agent, '+14155550100');
    await expect(placeCallWith(lostAnswers)(call)).rejects.toThrow();
    // Another worker retries with nothing but the store: the status webhook named the call.
    const retried = sentOrThrow(await placeCallWith()(call));
    proxy.server.close();

    const placed = callsTo(agent);
    expect(placed.map((placedCall) => placedCall.sid)).toEqual([retried.callSid]);
    expect(retried.alreadyPlaced).toBe(true);
    const contacts = await stack.services.store.recentContacts(call.customerKey, 0);
    expect(contacts.filter((entry) => entry.entryId === call.attemptKey)).toHaveLength(1);
  }, 30_000);
});
