import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../config/config';
import { openServices, SANDBOX_AUTH_TOKEN } from '../../runtime/services';
import { startSandbox } from '../../sandbox';
import { createChannelWorkers } from '../../worker/create-worker';
import { channelTaskQueue } from '../../domain/channels';
import { pacedSms } from '../workflows';
import { type BenchRow, pool } from '../stats';

/**
 * Provider pacing: `count` SMS started at once through the SMS task queue limited to `rate`
 * per second, as the sandbox saw them arrive. Target: within ±5 % of the rate, never above.
 */
export async function providerPacingSuite(
  client: Client,
  connection: NativeConnection,
  workflowWorker: Worker,
  { count, rate }: { count: number; rate: number },
): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-pacing-'));
  const sandbox = await startSandbox({ authToken: SANDBOX_AUTH_TOKEN, stepDelayMs: 5 });
  const config = loadConfig({
    TEMPORAL_NAMESPACE: client.options.namespace,
    TEMPORAL_TASK_QUEUE: workflowWorker.options.taskQueue,
    DATA_DIR: dataDir,
    PACING_SMS_PER_SECOND: String(rate),
  });
  const services = await openServices(config, {
    sandboxUrl: sandbox.url,
    smtpUrl: `smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`,
  });
  const workers = await createChannelWorkers({ config, connection, channelDeps: services.channelDeps });
  const running = workers.map((worker) => worker.run());
  try {
    const started = performance.now();
    await pool(count, 64, async (index) => {
      await client.workflow.execute(pacedSms, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `bench-pacing-${randomUUID()}`,
        args: [
          channelTaskQueue(config.TEMPORAL_TASK_QUEUE, 'sms'),
          {
            attemptKey: `bench-pacing-${index}-${randomUUID()}`,
            workflowId: 'bench',
            to: '+15005550006',
            content: { template: 'sms.help', variables: { company: 'Bench' } },
            customerKey: 'c_bench',
            purpose: 'notice',
            category: 'service',
          },
        ],
      });
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const times = sandbox.outbox
      .listMessages()
      .map((message) => message.acceptedAt)
      .sort((a, b) => a - b);
    // The steady pace, past the first second's burst (Temporal's bucket holds one second).
    const steady = times.filter((t) => t >= (times[0] as number) + 1000);
    const steadyRate = ((steady.length - 1) * 1000) / ((steady.at(-1) as number) - (steady[0] as number));
    let busiestSteadySecond = 0;
    for (const start of steady) {
      busiestSteadySecond = Math.max(
        busiestSteadySecond,
        steady.filter((t) => t >= start && t < start + 1000).length,
      );
    }
    const ratio = steadyRate / rate;
    if (process.env.BENCH_VERBOSE)
      console.log('accepted (ms):', times.map((t) => t - (times[0] as number)).join(' '));
    return [
      {
        benchmark: `SMS pacing, steady rate (${count} at ${rate}/s)`,
        measured: `${steadyRate.toFixed(2)}/s`,
        baseline: `${rate}/s configured`,
        ratio: `${ratio.toFixed(3)}×`,
        target: ratio >= 0.95 && ratio <= 1.0005 ? 'met (0.95–1.00×)' : 'MISSED (0.95–1.00×)',
      },
      {
        // Temporal's limiter is a token bucket holding one second's worth: after a pause it
        // releases what accumulated at once, so one second can see up to twice the rate.
        benchmark: `SMS pacing, busiest second after the first / total time`,
        measured: `${busiestSteadySecond} sends / ${wallSeconds.toFixed(1)} s`,
        baseline: `${rate}/s; bucket bound ${2 * Math.ceil(rate)} / ≥ ${((count - rate) / rate).toFixed(1)} s`,
        ratio: `${(busiestSteadySecond / rate).toFixed(2)}× of rate`,
        target:
          busiestSteadySecond <= rate
            ? 'met (≤ rate in every second)'
            : busiestSteadySecond <= 2 * Math.ceil(rate)
              ? 'within the bucket bound, above the rate after a pause'
              : 'MISSED (above the bucket bound)',
      },
    ];
  } finally {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
    await services.close();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
