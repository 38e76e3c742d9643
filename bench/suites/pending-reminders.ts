import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { customerKeyFor } from '../../activities/contacts/customer-key';
import { loadConfig } from '../../config/config';
import { loadContactPolicy } from '../../config/contact-policy';
import { reminderWorkflowId } from '../../domain/reminders';
import { createRecontactWorker } from '../../worker/create-worker';
import { appointmentReminder } from '../../workflows/appointment-reminder';
import { type BenchRow, pool } from '../stats';

const TARGET_RSS_MB = 300;
const MB = 1024 * 1024;

/**
 * Pending reminders and worker memory: `count` appointment reminders (100,000 with `--full`) are
 * started for appointments a month ahead, so each plans its series and sleeps. The product's worker
 * (createRecontactWorker, its default workflow cache) runs them in this process; once every run is
 * asleep the process's RSS is read, and a visibility count checks that none is lost.
 */
export async function pendingRemindersSuite(
  client: Client,
  connection: NativeConnection,
  { count }: { count: number },
): Promise<BenchRow[]> {
  const batch = randomUUID().slice(0, 8);
  const config = loadConfig({
    TEMPORAL_NAMESPACE: client.options.namespace,
    TEMPORAL_TASK_QUEUE: `bench-pending-${batch}`,
  });
  const worker = await createRecontactWorker({
    config,
    connection,
    activityDeps: { policy: loadContactPolicy() },
  });
  const rssBefore = process.memoryUsage().rss;
  const appointmentAt = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  try {
    const { elapsedMs, asleep } = await worker.runUntil(async () => {
      const started = Date.now();
      await pool(count, 32, async (n) => {
        const phone = `+1415${String(6_000_000 + n).padStart(7, '0')}`;
        const appointmentId = `bench-${batch}-${n}`;
        await client.workflow.start(appointmentReminder, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: reminderWorkflowId(appointmentId),
          args: [
            {
              appointmentId,
              at: appointmentAt,
              contact: { phone, timeZone: 'America/New_York', country: 'US', candidateTimeZones: [] },
              customerKey: customerKeyFor(phone, 'bench-secret-0123456789'),
            },
          ],
        });
      });
      // Asleep: planned and waiting for the first reminder (visibility is eventually consistent).
      const query = `WorkflowType = "appointmentReminder" AND TaskQueue = "${config.TEMPORAL_TASK_QUEUE}" AND State = "scheduled" AND ExecutionStatus = "Running"`;
      let sleeping = 0;
      for (let tries = 0; tries < 600; tries += 1) {
        sleeping = (await client.workflow.count(query)).count;
        if (sleeping >= count) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      return { elapsedMs: Date.now() - started, asleep: sleeping };
    });
    const rssAfter = process.memoryUsage().rss;
    return [
      {
        benchmark: `worker RSS with ${count} pending reminders (worker and client in one process)`,
        measured: `${(rssAfter / MB).toFixed(0)} MB (peak ${(peakRss / MB).toFixed(0)} MB, +${((rssAfter - rssBefore) / MB).toFixed(0)} MB)`,
        baseline: `${(rssBefore / MB).toFixed(0)} MB before`,
        ratio: `${(peakRss / MB / TARGET_RSS_MB).toFixed(2)}× of ${TARGET_RSS_MB} MB`,
        target:
          peakRss / MB <= TARGET_RSS_MB ? `met (≤ ${TARGET_RSS_MB} MB)` : `MISSED (≤ ${TARGET_RSS_MB} MB)`,
      },
      {
        benchmark: `pending reminders asleep (visibility count), time to start and plan all`,
        measured: `${asleep} of ${count} in ${(elapsedMs / 1000).toFixed(1)} s`,
        baseline: `${count} started`,
        ratio: `${(asleep / count).toFixed(3)}×`,
        target: asleep === count ? 'met (none lost)' : 'MISSED (some not asleep)',
      },
    ];
  } finally {
    clearInterval(sampler);
    // The runs sleep for a month on a throwaway server: nothing to clean up but the worker.
  }
}
