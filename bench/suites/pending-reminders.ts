import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../runtime/project-paths';
import type { Client } from '@temporalio/client';
import { customerKeyFor } from '../../domain/customer-key';
import { reminderWorkflowId } from '../../domain/reminders';
import { appointmentReminder } from '../../workflows/appointment-reminder';
import { type BenchRow, pool } from '../stats';
import { BENCH_PAYLOAD_KEYS } from '../payload-keys';
import { passedWorkerEnvironment, recontactWorkerArgs, untilReady } from '../recontact-worker-process';

const TARGET_RSS_MB = 300;
const MB = 1024 * 1024;
/** How long the worker sits after the last reminder fell asleep before its RSS is read. */
const SETTLE_MS = 10_000;

/** Resident memory of a process (Linux /proc), in bytes. */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * With BENCH_HEAP_SNAPSHOTS=1 (and `--heapsnapshot-signal=SIGWINCH` in BENCH_WORKER_NODE_OPTIONS)
 * the worker writes a heap snapshot of its main thread into the project folder at each checkpoint.
 * The runs themselves live in the SDK's workflow thread, which that snapshot leaves out: to see them,
 * run the worker with the SDK's `debugMode` (workflows on the main thread) for the diagnosis.
 * SIGUSR2 would not do: the Temporal runtime shuts the worker down on it.
 */
async function heapSnapshot(pid: number): Promise<string | undefined> {
  if (process.env.BENCH_HEAP_SNAPSHOTS !== '1') return undefined;
  const dir = projectRoot();
  const existing = new Set(readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot')));
  process.kill(pid, 'SIGWINCH');
  let file: string | undefined;
  let lastSize = -1;
  for (let tries = 0; tries < 600; tries += 1) {
    await sleep(1_000);
    file ??= readdirSync(dir).find((name) => name.endsWith('.heapsnapshot') && !existing.has(name));
    if (file === undefined) continue;
    const size = statSync(path.join(dir, file)).size;
    if (size > 0 && size === lastSize) return file;
    lastSize = size;
  }
  return file;
}

interface Checkpoint {
  pending: number;
  rss: number;
  asleep: number;
  snapshot?: string;
}

/**
 * Pending reminders and worker memory: appointment reminders for appointments a month ahead are
 * started in steps up to each checkpoint (1,000 / 5,000 / 10,000 quick; up to 100,000 with
 * `--full`), so each plans its series and sleeps. They run on the product's worker — `recontact
 * worker` in its own process, as deployed — whose resident memory is read once the reminders of a
 * step are all asleep (a visibility count) and the worker has settled, and sampled throughout for
 * the peak. The last count checks that none is lost.
 */
export async function pendingRemindersSuite(
  client: Client,
  address: string,
  { checkpoints }: { checkpoints: number[] },
): Promise<BenchRow[]> {
  const batch = randomUUID().slice(0, 8);
  const taskQueue = `bench-pending-${batch}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-pending-'));
  // BENCH_WORKER_ROOT: another checkout's worker (bench/recontact-worker-process.ts), e.g. the base of a change.
  const root = process.env.BENCH_WORKER_ROOT ?? projectRoot();
  const child = spawn(process.execPath, recontactWorkerArgs(root), {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: client.options.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATA_DIR: dataDir,
      PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS,
      LOG_LEVEL: 'warn',
      ...passedWorkerEnvironment(),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
    await untilReady(child);
    await sleep(SETTLE_MS);
    const idle: Checkpoint = { pending: 0, rss: rssOf(pid), asleep: 0 };
    idle.snapshot = await heapSnapshot(pid);
    const appointmentAt = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
    const query = `WorkflowType = "appointmentReminder" AND TaskQueue = "${taskQueue}" AND State = "scheduled" AND ExecutionStatus = "Running"`;
    const started = Date.now();
    const reached: Checkpoint[] = [];
    let startedCount = 0;
    for (const pending of checkpoints) {
      const from = startedCount;
      await pool(pending - from, 32, async (i) => {
        const n = from + i;
        const phone = `+1415${String(1_000_000 + n).padStart(7, '0')}`;
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
      startedCount = pending;
      // Asleep: planned and waiting for the first reminder (visibility is eventually consistent).
      let asleep = 0;
      for (let tries = 0; tries < 3_600; tries += 1) {
        asleep = (await client.workflow.count(query)).count;
        if (asleep >= pending) break;
        if (exited !== undefined)
          throw new Error(`recontact worker exited with ${exited} while the reminders started`);
        await sleep(1_000);
      }
      await sleep(SETTLE_MS);
      const checkpoint: Checkpoint = { pending, rss: rssOf(pid), asleep };
      checkpoint.snapshot = await heapSnapshot(pid);
      reached.push(checkpoint);
      console.error(
        `pending ${pending}: ${asleep} asleep, worker RSS ${(checkpoint.rss / MB).toFixed(0)} MB` +
          `${checkpoint.snapshot ? ` (${checkpoint.snapshot})` : ''}`,
      );
    }
    const elapsedMs = Date.now() - started;
    const last = reached.at(-1) ?? idle;
    const lost = last.pending - last.asleep;
    const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;
    const rows: BenchRow[] = reached.map((checkpoint) => ({
      benchmark: `recontact worker RSS with ${checkpoint.pending} pending reminders (settled)`,
      measured: mb(checkpoint.rss),
      baseline: `${mb(idle.rss)} idle (no runs)`,
      ratio: `${(checkpoint.rss / idle.rss).toFixed(2)}× idle`,
      target:
        checkpoint.rss / MB <= TARGET_RSS_MB
          ? `met (≤ ${TARGET_RSS_MB} MB)`
          : `MISSED (≤ ${TARGET_RSS_MB} MB)`,
    }));
    rows.push({
      benchmark: `recontact worker peak RSS while ${last.pending} reminders started and planned`,
      measured: mb(peakRss),
      baseline: `${mb(idle.rss)} idle`,
      ratio: `${(peakRss / idle.rss).toFixed(2)}× idle`,
      target:
        peakRss / MB <= TARGET_RSS_MB ? `met (≤ ${TARGET_RSS_MB} MB)` : `MISSED (≤ ${TARGET_RSS_MB} MB)`,
    });
    const flatFrom = reached.find((checkpoint) => checkpoint.pending >= 10_000);
    if (flatFrom !== undefined && flatFrom !== last)
      rows.push({
        benchmark: `RSS growth from ${flatFrom.pending} to ${last.pending} pending`,
        measured: `${mb(last.rss - flatFrom.rss)} (${(((last.rss - flatFrom.rss) / MB / (last.pending - flatFrom.pending)) * 1_000).toFixed(2)} MB per 1,000)`,
        baseline: mb(flatFrom.rss),
        ratio: `${(last.rss / flatFrom.rss).toFixed(2)}×`,
        target: last.rss <= flatFrom.rss * 1.1 ? 'met (flat, ≤ 1.10×)' : 'MISSED (not flat)',
      });
    rows.push({
      benchmark: `pending reminders asleep (visibility count), time to start and plan all`,
      measured: `${last.asleep} of ${last.pending} in ${(elapsedMs / 1000).toFixed(1)} s`,
      baseline: `${last.pending} started`,
      ratio: `${lost} lost`,
      target: lost === 0 ? 'met (none lost)' : 'MISSED (some not asleep)',
    });
    return rows;
  } finally {
    clearInterval(sampler);
    if (exited === undefined) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
