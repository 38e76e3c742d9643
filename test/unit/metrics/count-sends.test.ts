import { ApplicationFailure } from '@temporalio/common';
import { countSends } from '../../../metrics/count-sends';
import { createDomainMetrics } from '../../../metrics/domain-metrics';

const value = async (metrics: ReturnType<typeof createDomainMetrics>, name: string, labels: object) =>
  (await metrics.registry.getSingleMetric(name)?.get())?.values.find((sample) =>
    Object.entries(labels).every(([key, expected]) => sample.labels[key] === expected),
  )?.value ?? 0;

describe('counting sends for /metrics', () => {
  it('counts a send, a held send with its deferral reason, and a failure for good — not one that will be retried', async () => {
    const metrics = createDomainMetrics();
    type Result = { sent: boolean; verdict?: string; reason?: string };
    const outcomes: (() => Result)[] = [
      () => ({ sent: true }),
      () => ({ sent: false, verdict: 'not-yet', reason: 'outside-window' }),
      () => ({ sent: false, verdict: 'never', reason: 'opted-out' }),
      () => {
        throw ApplicationFailure.nonRetryable('invalid number', 'InvalidRecipient');
      },
      () => {
        throw new Error('provider timed out');
      },
    ];
    const send = countSends('sms', async (index: number) => outcomes[index]!(), metrics);
    for (let index = 0; index < outcomes.length; index += 1) await send(index).catch(() => undefined);
    expect(await value(metrics, 'recontact_sends_total', { channel: 'sms', outcome: 'sent' })).toBe(1);
    expect(await value(metrics, 'recontact_sends_total', { channel: 'sms', outcome: 'held' })).toBe(2);
    expect(await value(metrics, 'recontact_sends_total', { channel: 'sms', outcome: 'failed' })).toBe(1);
    expect(
      await value(metrics, 'recontact_policy_deferrals_total', { channel: 'sms', reason: 'outside-window' }),
    ).toBe(1);
  });
});
