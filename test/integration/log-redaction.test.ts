// First: the SDK's log is captured from the first worker on (see the module).
import { sdkLogLines } from './support/sdk-log-capture';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { apiLoggerOptions } from '../../api/request-logger';
import { signReminderLink } from '../../activities/reminders/reminder-links';
import { customerKeyFor } from '../../domain/customer-key';
import { channelTaskQueue } from '../../domain/channels';
import { deliverMessage, type DeliverMessageInput } from '../../workflows/deliver-message';
import { startChannelStack, type ChannelStack } from '../harness/channels';
import { sendSmsOnce } from '../workflows/channel-probes';

describe('logs of a scenario run at debug level', () => {
  const apiLogLines: string[] = [];
  const apiLog = new Writable({
    write(chunk: Buffer, _encoding, done) {
      apiLogLines.push(chunk.toString());
      done();
    },
  });
  let stack: ChannelStack;
  beforeAll(async () => {
    stack = await startChannelStack({}, undefined, { apiLogger: apiLoggerOptions('debug', apiLog) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const phone = '+14155550147';
  const email = 'ana.customer@example.com';
  const deskToken = `desk-${randomUUID()}`;

  const deliver = (extra: Partial<DeliverMessageInput>) =>
    stack.temporal.workflow.execute(deliverMessage, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `notice-${randomUUID()}`,
      args: [
        {
          channel: 'sms',
          contact: { phone, email, country: 'US', timeZone: 'America/New_York' },
          customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
          template: 'sms.help',
          variables: { company: 'Acme' },
          purpose: 'notice',
          ...extra,
        },
      ],
    });

  it('never contain the phone numbers, e-mail addresses, tokens or link signatures used', async () => {
    const base = stack.services.publicUrl;
    // An SMS with its status webhooks, an e-mail, the customer's STOP reply, then a refused send
    // whose failure names the number.
    expect((await deliver({})).outcome).toBe('delivered');
    expect(
      (
        await deliver({
          channel: 'email',
          template: 'email.callback.unreachable',
          variables: { company: 'Acme', name: 'Ana' },
        })
      ).outcome,
    ).toBe('sent');
    await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'STOP' });
    const refused = await stack.temporal.workflow
      .execute(sendSmsOnce, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: `sms-once-${randomUUID()}`,
        args: [
          channelTaskQueue(stack.config.TEMPORAL_TASK_QUEUE, 'sms'),
          {
            attemptKey: randomUUID(),
            workflowId: 'direct',
            to: phone,
            content: { template: 'sms.help', variables: { company: 'A' } },
            customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
            purpose: 'notice',
            category: 'service',
          },
        ],
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);

    // A reminder link opened and pressed (its signature in the query), and a forged one.
    const link = signReminderLink(
      { secret: stack.services.customerKeySecret, publicUrl: base },
      'appt-log-1',
      'confirm',
      Date.now() + 86_400_000,
    );
    const signature = new URL(link).searchParams.get('sig') ?? '';
    expect(signature).not.toBe('');
    await fetch(link);
    await fetch(link, { method: 'POST' });
    await fetch(link.replace(signature, `${signature.slice(0, -4)}AAAA`));
    // The API's bearer token, a wrong desk token, and a number and an address in a query string.
    await fetch(`${base}/v1/runs`, { headers: { authorization: 'Bearer test-token' } });
    await fetch(`${base}/desk/api/me`, { headers: { authorization: `Bearer ${deskToken}` } });
    await fetch(`${base}/v1/nowhere?phone=${encodeURIComponent(phone)}&email=${encodeURIComponent(email)}`);

    await stack.sandbox.idle();
    const logs = [...apiLogLines, ...sdkLogLines].join('\n');
    // The run logged (requests, the refused send), so a clean grep means something.
    expect(apiLogLines.length).toBeGreaterThan(10);
    expect(logs).toContain('incoming request');
    expect(logs).toContain('/links/reminders/appt-log-1/confirm');
    expect(logs).toContain('Activity failed');

    const secrets = [
      phone,
      encodeURIComponent(phone),
      phone.slice(1),
      email,
      encodeURIComponent(email),
      signature,
      'test-token',
      deskToken,
      stack.services.twilioAuthToken,
      stack.services.customerKeySecret,
    ];
    // The offending lines themselves, so a failure shows where a secret leaked.
    const leaks = logs.split('\n').filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });

  it('names the run on the API’s log lines about it, and the worker’s', async () => {
    const workflowId = `notice-${randomUUID()}`;
    // Not the number of the test above: it replied STOP.
    const other = '+14155550148';
    await stack.temporal.workflow.execute(deliverMessage, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [
        {
          channel: 'sms',
          contact: { phone: other, country: 'US', timeZone: 'America/New_York' },
          customerKey: customerKeyFor(other, stack.services.customerKeySecret),
          template: 'sms.help',
          variables: { company: 'Acme' },
          purpose: 'notice',
        },
      ],
    });
    await stack.sandbox.idle();
    // The status callbacks of its SMS: each "request completed" line carries the run's id.
    const completed = apiLogLines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; workflowId?: string })
      .filter((line) => line.msg === 'request completed' && line.workflowId === workflowId);
    expect(completed.length).toBeGreaterThan(0);
    // The worker's lines about the run (its activities at debug) carry it too.
    expect(sdkLogLines.some((line) => line.includes('Activity completed') && line.includes(workflowId))).toBe(
      true,
    );
  });
});
