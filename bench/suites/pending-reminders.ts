import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../runtime/project-paths';
import type { Client } from '@temporalio/client';
import { customerKeyFor } from '../../activities/contacts/customer-key';
import { reminderWorkflowId } from '../../domain/reminders';
import { appointmentReminder } from '../../workflows/appointment-reminder';
import { type BenchRow, pool } from '../stats';
import { BENCH_PAYLOAD_KEYS } from '../payload-keys';

const TARGET_RSS_MB = 300;
const MB = 1024 * 1024;

/** Resident memory of a process (Linux /proc), in bytes. */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

/**
 * Pending reminders and worker memory: `count` appointment reminders (100,000 with `--full`) are
 * started for appointments a month ahead, so each plans its series and sleeps. They run on the
 * product's worker — `recontact worker` in its own process, as deployed — whose resident memory is
 * sampled throughout; a visibility count then checks that none is lost.
 */
export async function pendingRemindersSuite(
  client: Client,
  address: string,
  { count }: { count: number },
): Promise<BenchRow[]> {
  const batch = randomUUID().slice(0, 8);
  const taskQueue = `bench-pending-${batch}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-pending-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot(), 'cli', 'main.ts'), 'worker'],
    {
      cwd: projectRoot(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: client.options.namespace,
        TEMPORAL_TASK_QUEUE: taskQueue,
        DATA_DIR: dataDir,
        PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS,
        LOG_LEVEL: 'warn',
        // BENCH_WORKER_NODE_OPTIONS (e.g. --max-old-space-size=256) runs the worker with a heap cap.
        ...(process.env.BENCH_WORKER_NODE_OPTIONS
          ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS }
          : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const pid = child.pid ?? 0;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, rssOf(pid));
    } catch {
      // the process is gone
    }
  }, 250);
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Recontact is ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`recontact worker exited with ${code}: ${output}`)));
    });
    const rssReady = rssOf(pid);
    const appointmentAt = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
    const started = Date.now();
    await pool(count, 32, async (n) => {
      const phone = `+1415${String(6_000_000 + n).padStart(7, '0')}`;
      const appointmentId = `bench-${batch}-${n}`;
      await client.workflow.start(appointmentReminder, {
        taskQueue,
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
    const query = `WorkflowType = "appointmentReminder" AND TaskQueue = "${taskQueue}" AND State = "scheduled" AND ExecutionStatus = "Running"`;
    let asleep = 0;
    for (let tries = 0; tries < 1_800; tries += 1) {
      asleep = (await client.workflow.count(query)).count;
      if (asleep >= count) break;
      if (exited !== undefined)
        throw new Error(`recontact worker exited with ${exited} while the reminders started`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const elapsedMs = Date.now() - started;
    const rssAsleep = rssOf(pid);
    return [
      {
        benchmark: `recontact worker RSS with ${count} pending reminders`,
        measured: `${(rssAsleep / MB).toFixed(0)} MB asleep, peak ${(peakRss / MB).toFixed(0)} MB`,
        baseline: `${(rssReady / MB).toFixed(0)} MB ready, no runs`,
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
    if (exited === undefined) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
