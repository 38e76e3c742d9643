import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../config/config';
import { openServices } from '../../runtime/services';
import { sandboxAuthToken } from '../../runtime/sandbox-credentials';
import { startSandbox } from '../../sandbox';
import { createChannelWorkers } from '../../worker/create-worker';
import { channelTaskQueue } from '../../domain/channels';
import { pacedSms } from '../workflows';
import { type BenchRow, pool } from '../stats';
import { BENCH_PAYLOAD_KEYS } from '../payload-keys';

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
  const sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 5 });
  const config = loadConfig({
    TEMPORAL_NAMESPACE: client.options.namespace,
    TEMPORAL_TASK_QUEUE: workflowWorker.options.taskQueue,
    DATA_DIR: dataDir,
    PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS,
    PACING_SMS_PER_SECOND: String(rate),
  });
  const services = await openServices(config, {
    sandboxUrl: sandbox.url,
    smtpUrl: `smtp://${sandbox.smtp.host}:${sandbox.smtp.port}`,
  });
  const workers = await createChannelWorkers({ config, connection, channelDeps: services.channelDeps });
  const running = workers.map((worker) => worker.run());
  const send = (index: number) =>
    client.workflow.execute(pacedSms, {
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
  try {
    // Warm the sandbox up: its first request takes longer to stamp and would skew the gaps.
    await send(-1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const warmUp = new Set(sandbox.outbox.listMessages().map((message) => message.sid));
    const started = performance.now();
    await pool(count, 64, async (index) => {
      await send(index);
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const times = sandbox.outbox
      .listMessages()
      .filter((message) => !warmUp.has(message.sid))
      .map((message) => message.acceptedAt)
      .sort((a, b) => a - b);
    const steady = times;
    const steadyRate = ((steady.length - 1) * 1000) / ((steady.at(-1) as number) - (steady[0] as number));
    // The shortest time in which rate + 1 sends arrived: at the rate it is one second.
    let shortestSpanMs = Infinity;
    for (let i = 0; i + rate < steady.length; i += 1) {
      shortestSpanMs = Math.min(shortestSpanMs, (steady[i + rate] as number) - (steady[i] as number));
    }
    const ratio = steadyRate / rate;
    if (process.env.BENCH_VERBOSE)
      console.log('accepted (ms):', times.map((t) => t - (times[0] as number)).join(' '));
    // Arrival stamps jitter by a few ms around the worker's evenly spaced slots: 1 % slack.
    return [
      {
        benchmark: `SMS pacing, mean rate (${count} at ${rate}/s)`,
        measured: `${steadyRate.toFixed(3)}/s`,
        baseline: `${rate}/s configured`,
        ratio: `${ratio.toFixed(3)}×`,
        target: ratio >= 0.95 && ratio <= 1.01 ? 'met (0.95–1.00×, 1 % stamp jitter)' : 'MISSED (0.95–1.00×)',
      },
      {
        benchmark: `SMS pacing, shortest span of ${rate + 1} sends / total time`,
        measured: `${shortestSpanMs} ms / ${wallSeconds.toFixed(1)} s`,
        baseline: `1000 ms at ${rate}/s`,
        ratio: `${(1000 / shortestSpanMs).toFixed(3)}× of rate`,
        target: shortestSpanMs >= 990 ? 'met (never above the rate, 1 % stamp jitter)' : 'MISSED',
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
