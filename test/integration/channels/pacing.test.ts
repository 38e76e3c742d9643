import { randomUUID } from 'node:crypto';
import { deliverMessage } from '../../../workflows/deliver-message';
import { customerKeyFor } from '../../../activities/contacts/customer-key';
import { startChannelStack, type ChannelStack } from '../../harness/channels';

const ratePerSecond = 5;
const messages = 16;

/**
 * The largest excess of sends over what a token bucket of `rate` per second with a burst of
 * ceil(rate) allows between any two sends (0 or less: the pace was never exceeded).
 */
function worstExcess(times: number[], rate: number): number {
  let worst = -Infinity;
  for (let i = 0; i < times.length; i += 1) {
    for (let j = i; j < times.length; j += 1) {
      const allowed = Math.ceil(rate) + (rate * ((times[j] as number) - (times[i] as number))) / 1000;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
}

describe('provider pacing by task-queue rate limits (dev server)', () => {
  let stack: ChannelStack;
  beforeAll(async () => {
    stack = await startChannelStack({ PACING_SMS_PER_SECOND: String(ratePerSecond) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(`never lets the sandbox see SMS faster than ${ratePerSecond} per second`, async () => {
    const phone = '+15005550006';
    const before = new Set(stack.sandbox.outbox.listMessages().map((message) => message.sid));
    await Promise.all(
      Array.from({ length: messages }, () =>
        stack.temporal.workflow.execute(deliverMessage, {
          taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
          workflowId: `paced-${randomUUID()}`,
          args: [
            {
              channel: 'sms',
              contact: { phone, country: 'US', timeZone: 'America/New_York' },
              customerKey: customerKeyFor(`${phone}-${randomUUID()}`, 'pacing'),
              template: 'sms.help',
              variables: { company: 'Acme' },
              purpose: 'notice',
            },
          ],
        }),
      ),
    );
    const accepted = stack.sandbox.outbox
      .listMessages()
      .filter((message) => !before.has(message.sid) && message.direction === 'outbound-api')
      .map((message) => message.acceptedAt)
      .sort((a, b) => a - b);
    expect(accepted).toHaveLength(messages);
    // Temporal's limiter is a token bucket holding one second's worth: after an idle spell up to
    // `rate` go at once, then never more than `rate` per second. Token recycling in Temporal's
    // matcher and the sandbox stamping arrivals (not dispatches) add a little: at most 1.75 sends
    // above the bucket in the first 300 ms in runs here, never later.
    expect(worstExcess(accepted, ratePerSecond)).toBeLessThanOrEqual(2);
    // Once the first second has passed, any second holds at most `rate` sends: rate + 1
    // consecutive sends span a second (less 50 ms for the sandbox's arrival stamps)…
    const steady = accepted.filter((t) => t >= (accepted[0] as number) + 1000);
    for (let i = 0; i + ratePerSecond < steady.length; i += 1) {
      expect((steady[i + ratePerSecond] as number) - (steady[i] as number)).toBeGreaterThanOrEqual(950);
    }
    // …and the steady pace is the configured one, within ±5 %.
    const steadyRate = ((steady.length - 1) * 1000) / ((steady.at(-1) as number) - (steady[0] as number));
    expect(steadyRate).toBeGreaterThan(ratePerSecond * 0.95);
    expect(steadyRate).toBeLessThanOrEqual(ratePerSecond * 1.05);
  }, 60_000);
});
