import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { customerKeyFor } from '../../../domain/customer-key';
import type { SmsRequest } from '../../../activities/channels/send-sms';
import { channelTaskQueue } from '../../../domain/channels';
import type { Purpose } from '../../../domain/policy';
import { startChannelStack, type ChannelStack } from '../../harness/channels';
import { eventually } from '../../harness/temporal';
import { askAndWaitForReply, sendSmsOnce } from '../../workflows/channel-probes';

const OUR_NUMBER = '+15005550006';

/**
 * SMS replies go to the outreach that asked last and still waits; a reply that could belong to
 * two gets a question back and goes to nobody (issue 13, item 6). Evidence: the workflows'
 * histories on the server (which signals reached them) and the sandbox's outbox.
 */
describe('routing SMS replies between outreach runs to one number', () => {
  let stack: ChannelStack;
  let next = 0;
  beforeAll(async () => {
    stack = await startChannelStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const newPhone = () => `+1415555${String(300 + (next += 1)).padStart(4, '0')}`;
  const smsQueue = () => channelTaskQueue(stack.config.TEMPORAL_TASK_QUEUE, 'sms');
  const request = (phone: string, workflowId: string, purpose: Purpose, asks: boolean): SmsRequest => ({
    attemptKey: `${workflowId}/sms/1`,
    workflowId,
    to: phone,
    content: { template: 'sms.help', variables: { company: 'Acme' } },
    customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
    purpose,
    category: 'service',
    ...(asks ? { expectReplyForMinutes: 60 } : {}),
  });
  const sentTo = (phone: string) =>
    stack.sandbox.outbox.listMessages().filter((message) => message.to === phone);

  /** An outreach that texts `phone` and waits for the answer (as a reminder or callback does). */
  const asking = async (phone: string, purpose: Purpose) => {
    const workflowId = `${purpose}-${randomUUID()}`;
    const before = sentTo(phone).length;
    const handle = await stack.temporal.workflow.start(askAndWaitForReply, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [smsQueue(), request(phone, workflowId, purpose, true), 20_000],
    });
    await eventually(async () => (sentTo(phone).length > before ? true : undefined));
    return handle;
  };
  /** An outreach that texts `phone` and is done at once. */
  const texting = async (phone: string, purpose: Purpose, asks: boolean) => {
    const workflowId = `${purpose}-${randomUUID()}`;
    await stack.temporal.workflow.execute(sendSmsOnce, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [smsQueue(), request(phone, workflowId, purpose, asks)],
    });
  };
  const repliesReceived = async (workflowId: string) =>
    ((await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter(
      (event) =>
        event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED &&
        event.workflowExecutionSignaledEventAttributes?.signalName === 'inboundReply',
    ).length;
  const reply = (phone: string, body: string) =>
    stack.sandbox.simulateInboundSms({ from: phone, to: OUR_NUMBER, body });
  const isQuestion = (twiml: string) => /more than one/i.test(twiml);

  it('asks back, and gives "NO" to nobody, when a callback and an appointment both wait for an answer', async () => {
    const phone = newPhone();
    const reminder = await asking(phone, 'reminder');
    const callback = await asking(phone, 'callback');
    const answer = await reply(phone, 'NO');
    expect(isQuestion(answer.twiml)).toBe(true);
    expect(await repliesReceived(reminder.workflowId)).toBe(0);
    expect(await repliesReceived(callback.workflowId)).toBe(0);

    // Told which one, the customer's answer reaches it alone.
    await reply(phone, 'APPT NO');
    expect(await reminder.result()).toBe('NO');
    expect(await repliesReceived(callback.workflowId)).toBe(0);
  });

  it('gives a reply that means something to one waiting outreach only to that one, even if it asked first', async () => {
    const phone = newPhone();
    const reminder = await asking(phone, 'reminder');
    const callback = await asking(phone, 'callback');
    await reply(phone, 'C');
    expect(await reminder.result()).toBe('C');
    expect(await repliesReceived(callback.workflowId)).toBe(0);
    await reply(phone, 'LATER 4pm');
    expect(await callback.result()).toBe('LATER 4pm');
  });

  it('never gives "NO" to an older outreach when the latest text came from one that asks nothing', async () => {
    const phone = newPhone();
    const reminder = await asking(phone, 'reminder');
    await texting(phone, 'notice', false);
    const answer = await reply(phone, 'NO');
    expect(isQuestion(answer.twiml)).toBe(true);
    expect(await repliesReceived(reminder.workflowId)).toBe(0);
  });

  it('does not route to an outreach that has finished: its route is released, and the older one is not guessed', async () => {
    const phone = newPhone();
    const reminder = await asking(phone, 'reminder');
    // Asked, then finished (an apology that closes the callback): it waits for nothing any more.
    await texting(phone, 'callback', true);
    const answer = await reply(phone, 'NO');
    expect(answer.error).toBeNull();
    expect(isQuestion(answer.twiml)).toBe(true);
    expect(await repliesReceived(reminder.workflowId)).toBe(0);
  });

  it('still routes a reply to the one outreach that asked last and waits', async () => {
    const phone = newPhone();
    await texting(phone, 'notice', false);
    const reminder = await asking(phone, 'reminder');
    const answer = await reply(phone, 'NO');
    expect(isQuestion(answer.twiml)).toBe(false);
    expect(await reminder.result()).toBe('NO');
    expect(sentTo(phone).filter((message) => message.direction !== 'inbound')).toHaveLength(2);
  });
});
