import { randomUUID } from 'node:crypto';
import { customerKeyFor } from '../../../activities/contacts/customer-key';
import { channelTaskQueue } from '../../../domain/channels';
import { callAndWatch } from '../../workflows/channel-probes';
import { startChannelStack, type ChannelStack } from '../../harness/channels';

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
