import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { temporal } from '@temporalio/proto';
import { deliverMessage, type DeliverMessageInput } from '../../../workflows/deliver-message';
import { waitThenComplete } from '../../workflows/wait-then-complete';
import { customerKeyFor } from '../../../domain/customer-key';
import { createSendSms } from '../../../activities/channels/send-sms';
import { ChannelFailure } from '../../../domain/channel-failures';
import { channelTaskQueue } from '../../../domain/channels';
import { startChannelStack, type ChannelStack, sentOrThrow } from '../../harness/channels';
import { eventually } from '../../harness/temporal';
import { askAndWaitForReply, sendSmsOnce, placeCallOnce } from '../../workflows/channel-probes';

describe('SMS through the official twilio library, the sandbox and the webhooks', () => {
  let stack: ChannelStack;
  beforeAll(async () => {
    stack = await startChannelStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const deliver = (
    phone: string,
    extra: Partial<DeliverMessageInput> = {},
    workflowId = `notice-${randomUUID()}`,
  ) =>
    stack.temporal.workflow.execute(deliverMessage, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [
        {
          channel: 'sms',
          contact: { phone, country: 'US', timeZone: 'America/New_York' },
          customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
          template: 'sms.help',
          variables: { company: 'Acme' },
          purpose: 'notice',
          ...extra,
        },
      ],
    });

  it('delivers to a valid number and follows the status callbacks to "delivered"', async () => {
    const workflowId = `notice-${randomUUID()}`;
    const result = await deliver('+15005550006', {}, workflowId);
    const description = await stack.temporal.workflow.getHandle(workflowId).describe();
    expect(description.memo).toEqual({ summary: 'notice by sms: delivered' });
    expect(result).toMatchObject({ outcome: 'delivered', providerId: expect.stringMatching(/^SM/) });
    expect(result.statuses).toEqual(expect.arrayContaining(['sent', 'delivered']));
    const sent = stack.sandbox.outbox.listMessages().filter((message) => message.sid === result.providerId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toContain('Acme: messages about your requests');
  });

  it('sends its own message when the same workflow id runs again after the first run closed', async () => {
    // A workflow id outlives its runs; the second run must not be handed the first run's SID.
    const phone = '+14155550191';
    const workflowId = `notice-${randomUUID()}`;
    // A minute's wait for the delivery report: a run that sent nothing hears none.
    const first = await deliver(phone, { deliveryTimeoutMinutes: 1 }, workflowId);
    const second = await deliver(phone, { deliveryTimeoutMinutes: 1 }, workflowId);
    const sent = stack.sandbox.outbox.listMessages().filter((message) => message.to === phone);
    expect(sent).toHaveLength(2);
    expect(new Set([first.providerId, second.providerId])).toEqual(new Set(sent.map((m) => m.sid)));
    expect(second.outcome).toBe('delivered');
  }, 90_000);

  it.each([
    ['+15005550001', 'invalid-recipient'],
    ['+15005550009', 'invalid-recipient'],
    ['+15005550004', 'opted-out'],
  ])('turns Twilio magic number %s into outcome %s without retrying', async (phone, outcome) => {
    const before = stack.sandbox.outbox.snapshot().requests.length;
    const result = await deliver(phone);
    expect(result.outcome).toBe(outcome);
    // One create request: a non-retryable failure is not retried.
    const creates = stack.sandbox.outbox
      .snapshot()
      .requests.slice(before)
      .filter((request) => request.method === 'POST' && request.path.endsWith('/Messages.json'));
    expect(creates).toHaveLength(1);
  });

  it.each([503, 429] as const)(
    'rides out a Twilio %i for a second and still sends exactly once',
    async (status) => {
      const phone = status === 503 ? '+14155550161' : '+14155550162';
      stack.sandbox.injectFault({ status, seconds: 1 });
      const result = await deliver(phone);
      expect(result.outcome).toBe('delivered');
      expect(stack.sandbox.outbox.listMessages().filter((m) => m.to === phone)).toHaveLength(1);
    },
    30_000,
  );

  it('remembers a carrier opt-out (21610) for every later send', async () => {
    await deliver('+15005550004');
    expect(await stack.services.store.isOptedOut('+15005550004', 'sms')).toBe(true);
  });

  it('never contacts a number again, on any channel, after it texts STOP', async () => {
    const phone = '+14155550177';
    const answer = await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'STOP' });
    expect(answer.twiml).toContain('you will receive no more messages');

    expect((await deliver(phone)).outcome).toBe('not-allowed');
    const key = customerKeyFor(phone, stack.services.customerKeySecret);
    const common = {
      workflowId: 'direct',
      customerKey: key,
      purpose: 'notice' as const,
      category: 'service' as const,
    };
    const smsFailure = await stack.temporal.workflow
      .execute(sendSmsOnce, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: `sms-once-${randomUUID()}`,
        args: [
          channelTaskQueue(stack.config.TEMPORAL_TASK_QUEUE, 'sms'),
          {
            ...common,
            attemptKey: randomUUID(),
            to: phone,
            content: { template: 'sms.help', variables: { company: 'A' } },
          },
        ],
      })
      .catch((error: unknown) => error);
    expect(failureType(smsFailure)).toBe(ChannelFailure.RecipientOptedOut);
    const callFailure = await stack.temporal.workflow
      .execute(placeCallOnce, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: `call-once-${randomUUID()}`,
        args: [
          channelTaskQueue(stack.config.TEMPORAL_TASK_QUEUE, 'voice'),
          { ...common, attemptKey: randomUUID(), agentPhone: '+14155550100', customerPhone: phone },
        ],
      })
      .catch((error: unknown) => error);
    expect(failureType(callFailure)).toBe(ChannelFailure.RecipientOptedOut);
    // Only our STOP confirmation went to that number; nothing was sent through the API.
    expect(
      stack.sandbox.outbox.listMessages().filter((m) => m.to === phone && m.direction === 'outbound-api'),
    ).toEqual([]);
    expect(stack.sandbox.outbox.listCalls().filter((call) => call.to === phone)).toEqual([]);

    const back = await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'start' });
    expect(back.twiml).toContain('you will receive our messages again');
    expect(await stack.services.store.isOptedOut(phone, 'voice')).toBe(false);
  });

  it.each([
    ['unsubscribe-link', 'all', '+14155550181'],
    ['agent', 'all', '+14155550182'],
    ['provider', 'sms', '+14155550183'],
    ['import', 'sms', '+14155550184'],
  ] as const)(
    'START lifts only what STOP recorded: an opt-out from %s stays',
    async (source, channel, phone) => {
      const { store } = stack.services;
      await store.recordOptOut({ address: phone, channel, source, at: Date.now() });
      await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'STOP' });
      const back = await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'START' });
      expect(back.twiml).not.toContain('you will receive our messages again');
      expect(await store.isOptedOut(phone, 'sms')).toBe(true);
      expect((await store.listOptOuts({ address: phone })).map((optOut) => optOut.source)).toContain(source);
      expect((await deliver(phone)).outcome).toBe('not-allowed');
    },
  );

  it('START does not lift a do-not-contact entry', async () => {
    const phone = '+14155550185';
    await stack.services.store.addDoNotContact({
      address: phone,
      reason: 'legal',
      source: 'agent',
      at: Date.now(),
    });
    await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'STOP' });
    const back = await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'START' });
    expect(back.twiml).not.toContain('you will receive our messages again');
    expect(await stack.services.store.contactBlock(phone, 'sms')).toMatchObject({ kind: 'do-not-contact' });
  });

  it('routes a customer reply to the workflow that asked for one', async () => {
    const phone = '+14155550166';
    const workflowId = `ask-${randomUUID()}`;
    const handle = await stack.temporal.workflow.start(askAndWaitForReply, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [
        channelTaskQueue(stack.config.TEMPORAL_TASK_QUEUE, 'sms'),
        {
          attemptKey: `${workflowId}/sms/1`,
          workflowId,
          to: phone,
          content: { template: 'sms.help', variables: { company: 'Acme' } },
          customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
          purpose: 'reminder',
          category: 'service',
          expectReplyForMinutes: 60,
        },
      ],
    });
    await eventually(async () =>
      stack.sandbox.outbox.listMessages().some((m) => m.to === phone) ? true : undefined,
    );
    await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'YES' });
    expect(await handle.result()).toBe('YES');
  });

  it("never takes another run's identical message to the same number for its own after a failure", async () => {
    // Built as the worker builds it, on this stack's store and sandbox.
    const sendSms = createSendSms({
      twilio: stack.services.twilio,
      store: stack.services.store,
      render: stack.services.channelDeps.render,
      from: stack.config.TWILIO_SMS_FROM,
      publicUrl: stack.services.publicUrl,
    });
    const phone = '+14155550192';
    const request = (attemptKey: string) => ({
      attemptKey,
      workflowId: 'callback-returning',
      to: phone,
      content: { template: 'sms.help', variables: { company: 'Acme' } },
      customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
      purpose: 'callback' as const,
      category: 'service' as const,
    });
    const first = sentOrThrow(await sendSms(request(`callback-returning/${randomUUID()}/sms/ack`)));
    // The next run's acknowledgement, same text, whose first try died before Twilio answered.
    const secondKey = `callback-returning/${randomUUID()}/sms/ack`;
    await stack.services.store.beginAttempt({
      attemptKey: secondKey,
      channel: 'sms',
      to: phone,
      startedAt: Date.now(),
    });
    const second = sentOrThrow(await sendSms(request(secondKey)));

    expect(second.messageSid).not.toBe(first.messageSid);
    expect(second.alreadySent).toBe(false);
    expect(stack.sandbox.outbox.listMessages().filter((message) => message.to === phone)).toHaveLength(2);
  });

  describe('status callbacks', () => {
    const signalsOf = async (workflowId: string) =>
      ((await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter(
        (event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      ).length;

    const post = (url: string, params: Record<string, string>, headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params).toString(),
      });

    it('reach the owning workflow exactly once when Twilio delivers one twice, and a forged one changes nothing', async () => {
      const workflowId = `callback-target-${randomUUID()}`;
      const handle = await stack.temporal.workflow.start(waitThenComplete, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [60_000],
      });
      await eventually(async () =>
        ((await handle.fetchHistory()).events ?? []).some(
          (event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED,
        )
          ? true
          : undefined,
      );
      const url = `${stack.services.publicUrl}/webhooks/twilio/status?${new URLSearchParams({
        workflowId,
        attemptKey: `${workflowId}/sms/1`,
        channel: 'sms',
      }).toString()}`;
      const params = { MessageSid: 'SM0123', MessageStatus: 'delivered', AccountSid: `AC${'0'.repeat(32)}` };
      const signature = twilio.getExpectedTwilioSignature(stack.services.twilioAuthToken, url, params);

      const forged = await post(
        url,
        { ...params, MessageStatus: 'failed' },
        { 'x-twilio-signature': signature },
      );
      expect(forged.status).toBe(403);
      const unsigned = await post(url, params, {});
      expect(unsigned.status).toBe(403);
      expect(await signalsOf(workflowId)).toBe(0);

      const token = randomUUID();
      const headers = { 'x-twilio-signature': signature, 'i-twilio-idempotency-token': token };
      expect((await post(url, params, headers)).status).toBe(204);
      expect((await post(url, params, headers)).status).toBe(204);
      // Signals that arrive during a workflow task are written when it completes: wait for it.
      await eventually(async () => ((await signalsOf(workflowId)) > 0 ? true : undefined));
      expect(await signalsOf(workflowId)).toBe(1);
      await handle.terminate('test done');
    });

    it('acknowledge a status for a run that has closed, and its redelivery without working on it again', async () => {
      // A text's last statuses often arrive after the run that sent it is done.
      const workflowId = `notice-${randomUUID()}`;
      await stack.temporal.workflow.execute(waitThenComplete, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [1],
      });
      const url = `${stack.services.publicUrl}/webhooks/twilio/status?${new URLSearchParams({
        workflowId,
        attemptKey: `${workflowId}/sms/1`,
        channel: 'sms',
      }).toString()}`;
      const params = { MessageSid: 'SM0456', MessageStatus: 'delivered', AccountSid: `AC${'0'.repeat(32)}` };
      const token = randomUUID();
      const headers = {
        'x-twilio-signature': twilio.getExpectedTwilioSignature(stack.services.twilioAuthToken, url, params),
        'i-twilio-idempotency-token': token,
      };
      expect((await post(url, params, headers)).status).toBe(204);
      expect((await post(url, params, headers)).status).toBe(204);
      // Claimed, not given back: a redelivery is not worked on again.
      expect(await stack.services.store.markWebhookProcessed(token)).toBe(false);
      expect(await signalsOf(workflowId)).toBe(0);
    });

    it("refuses webhooks signed with the sandbox's old public token: no opt-out, no status, no customer number", async () => {
      // Before issue 16 every sandbox install signed with this constant, printed in the source.
      const oldPublicToken = 'recontact-sandbox-token';
      expect(stack.services.twilioAuthToken).not.toBe(oldPublicToken);
      const forge = (route: string, params: Record<string, string>) => {
        const url = `${stack.services.publicUrl}${route}`;
        return post(url, params, {
          'x-twilio-signature': twilio.getExpectedTwilioSignature(oldPublicToken, url, params),
        });
      };
      const phone = '+14155550191';
      const accountSid = `AC${'0'.repeat(32)}`;

      const stop = await forge('/webhooks/twilio/sms', {
        MessageSid: 'SM0191',
        AccountSid: accountSid,
        From: phone,
        To: '+15005550006',
        Body: 'STOP',
      });
      expect(stop.status).toBe(403);
      expect(await stack.services.store.isOptedOut(phone, 'sms')).toBe(false);

      const status = await forge(
        `/webhooks/twilio/status?${new URLSearchParams({ workflowId: 'any', attemptKey: 'any/sms/1', channel: 'sms' }).toString()}`,
        { MessageSid: 'SM0192', MessageStatus: 'failed', AccountSid: accountSid },
      );
      expect(status.status).toBe(403);

      const agentAnswered = await forge(
        `/webhooks/twilio/voice/agent-answered?${new URLSearchParams({ workflowId: 'any', attemptKey: 'any/voice/1', locale: 'en-US', onVoicemail: 'hang-up' }).toString()}`,
        { CallSid: 'CA0193', AccountSid: accountSid, CallStatus: 'in-progress' },
      );
      expect(agentAnswered.status).toBe(403);
      expect(await agentAnswered.text()).not.toContain('<Dial');
    });
  });
});

function failureType(error: unknown): string | undefined {
  let cause: unknown = error;
  while (cause instanceof Error) {
    const type = (cause as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    cause = cause.cause;
  }
  return undefined;
}
