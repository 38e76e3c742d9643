import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common';
import { ReminderClient } from '../../client/reminders';
import { reminderWorkflowId } from '../../domain/reminders';
import { sandboxAuthToken } from '../../runtime/sandbox-credentials';
import { startSandbox } from '../../sandbox';
import { roundTheClockPolicyFile } from '../../test/harness/policy-files';
import { BENCH_PAYLOAD_KEYS } from '../payload-keys';
import { cpuSecondsOf, runQueueSecondsOf, startRecontactWorker } from '../recontact-worker-process';
import { type BenchRow, percentile, pool } from '../stats';
import { freeLoopbackPort } from '../../runtime/free-port';

/** The p99 the product promises for a reminder's send (sent − due). */
export const TARGET_P99_MS = 250;

export interface ReminderLatenessOptions {
  /** Reminders, all due inside `windowMs`, evenly spread. */
  count: number;
  windowMs: number;
  /** Extra environment of the `recontact worker` (the cluster's DATABASE_URL). */
  workerEnv?: Record<string, string>;
  /** Temporal server processes whose CPU is reported beside the worker's. */
  serverPids?: number[];
  /** Histories read after the window to split the lateness into stages. @default 200 */
  sampleHistories?: number;
  /**
   * Time between the estimated end of planning and the first due time: more on a shared machine,
   * where planning slows more than the warm-up batch showed. @default 20 s
   */
  leadMs?: number;
}

/** Where the time between due and sent went, from a sample of run histories (ms, p50/p99). */
export interface StageBreakdown {
  timer: number[];
  pickup: number[];
  decide: number[];
  dispatch: number[];
  send: number[];
}

export interface ReminderLatenessResult {
  count: number;
  windowMs: number;
  /** Sent (the sandbox's acceptance) − due, per reminder that was sent, ms. */
  lateness: number[];
  /** Reminders the sandbox never saw within the window plus two minutes (or three windows). */
  missing: number;
  /** appointmentReminder starts per second through the client library. */
  startsPerSecond: number;
  /** Seconds from the first start until every series was planned and asleep. */
  planSeconds: number;
  stages: StageBreakdown;
  /** CPU seconds per second from the first due time until the last send: the worker, the Temporal server. */
  workerCpu: number;
  serverCpu: number;
  /** CPU milliseconds per reminder sent over the same span: what one reminder costs each side. */
  workerCpuMsPerReminder: number;
  serverCpuMsPerReminder: number;
  /** Seconds per second the worker's and the server's threads waited for a CPU over the same span. */
  workerWaiting: number;
  serverWaiting: number;
  /** 1-minute load average at the end of the window. */
  load: number;
}

const phoneOf = (index: number) => `+1415${String(3_000_000 + index)}`;

/**
 * The product's reminders, end to end: `count` appointment reminders (one SMS each, an hour
 * before the appointment) through the client library, run by `recontact worker` in its own process
 * with its real channel activities, into the Twilio sandbox. Lateness is the sandbox's acceptance
 * time of each SMS minus the reminder's due time: taken from the outside, with nothing held open
 * against the server while the reminders fire (the benchmark only reads the sandbox's in-memory
 * outbox once a second). Pacing is raised to 1,000 SMS/s (a short code's class), so the provider's
 * pace does not hold a reminder: at the default 1 SMS/s, 10,000 sends take 2.8 hours by design.
 */
export async function measureReminderLateness(
  client: Client,
  address: string,
  options: ReminderLatenessOptions,
): Promise<ReminderLatenessResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-timers-'));
  const taskQueue = `bench-timers-${randomUUID().slice(0, 8)}`;
  const customerKeySecret = randomBytes(16).toString('hex');
  const sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 50 });
  const worker = await startRecontactWorker({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: client.options.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dataDir,
    PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS,
    CUSTOMER_KEY_SECRET: customerKeySecret,
    CONTACT_POLICY_FILE: roundTheClockPolicyFile(dataDir),
    SANDBOX_PORT: new URL(sandbox.url).port,
    SANDBOX_SMTP_PORT: String(sandbox.smtp.port),
    // Status callbacks go nowhere (no API runs): a closed port refuses them at once.
    PUBLIC_URL: `http://127.0.0.1:${await freeLoopbackPort()}`,
    PACING_SMS_PER_SECOND: '1000',
    LOG_LEVEL: 'warn',
    ...options.workerEnv,
  }).catch(async (error: unknown) => {
    await sandbox.stop();
    throw error;
  });
  const reminders = new ReminderClient({ temporal: client, taskQueue, customerKeySecret });
  const start = (index: number, dueMs: number) =>
    reminders.start({
      appointmentId: `bench-timers-${taskQueue}-${index}`,
      // An hour ahead: a late send is still wanted (not `expired`), and no series ends in the window.
      at: new Date(dueMs + 3_600_000).toISOString(),
      contact: { phone: phoneOf(index), timeZone: 'America/New_York', country: 'US' },
      offsets: [{ channel: 'sms', hours: 1, whenConfirmed: 'send' }],
    });
  const scheduled = async (): Promise<number> =>
    (
      await client.workflow.count(
        `WorkflowType = "appointmentReminder" AND TaskQueue = "${taskQueue}" AND State = "scheduled"`,
      )
    ).count;
  try {
    // How fast series start and plan here: a warm-up batch due in a month (it stays asleep).
    const warmUp = Math.max(100, Math.min(300, Math.round(options.count / 20)));
    const warmStarted = Date.now();
    await pool(warmUp, 32, (index) =>
      start(options.count + index, Date.now() + 30 * 86_400_000).then(() => undefined),
    );
    while ((await scheduled()) < warmUp) await sleep(250);
    const planPerSecond = warmUp / ((Date.now() - warmStarted) / 1000);
    // Every series must be planned before the first is due, or the lateness would measure the starts.
    // Half again the estimate: planning slows as the runs outgrow the worker's cache.
    const firstDue = Date.now() + (options.count / planPerSecond) * 1000 * 1.5 + (options.leadMs ?? 20_000);
    const dueOf = (index: number) => firstDue + Math.floor((index * options.windowMs) / options.count);

    const started = Date.now();
    await pool(options.count, 32, (index) => start(index, dueOf(index)).then(() => undefined));
    const startsPerSecond = options.count / ((Date.now() - started) / 1000);
    while ((await scheduled()) < options.count + warmUp && Date.now() < firstDue) await sleep(1_000);
    const planSeconds = (Date.now() - started) / 1000;
    const plannedLate = options.count + warmUp - (await scheduled());
    if (plannedLate > 0)
      console.error(
        `timers: ${plannedLate} series not planned by the first due time (skipped as past: not sent)`,
      );

    await sleep(Math.max(0, firstDue - Date.now()));
    const cpuAt = () => ({
      worker: worker.cpuSeconds(),
      server: (options.serverPids ?? []).reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
      workerWaiting: runQueueSecondsOf(worker.pid),
      serverWaiting: (options.serverPids ?? []).reduce((sum, pid) => sum + runQueueSecondsOf(pid), 0),
      at: Date.now(),
    });
    const before = cpuAt();
    const phones = new Map(Array.from({ length: options.count }, (_, index) => [phoneOf(index), index]));
    const sentAt = new Map<number, number>();
    const collect = () => {
      for (const message of sandbox.outbox.listMessages()) {
        const index = phones.get(message.to);
        if (index === undefined) continue;
        sentAt.set(index, Math.min(sentAt.get(index) ?? Infinity, message.acceptedAt));
      }
    };
    const lastDue = dueOf(options.count - 1);
    const drainMs = Math.max(120_000, 3 * options.windowMs);
    for (;;) {
      await sleep(1_000);
      collect();
      if (sentAt.size >= options.count || Date.now() > lastDue + drainMs) break;
    }
    const after = cpuAt();
    const load = loadavg()[0] ?? Number.NaN;
    const lateness = [...sentAt].map(([index, at]) => at - dueOf(index));
    const seconds = (after.at - before.at) / 1000;
    const stages = await stageBreakdown(
      client,
      Array.from({ length: Math.min(options.count, options.sampleHistories ?? 200) }, (_, i) =>
        Math.floor((i * options.count) / Math.min(options.count, options.sampleHistories ?? 200)),
      ),
      (index) => reminderWorkflowId(`bench-timers-${taskQueue}-${index}`),
      dueOf,
      sentAt,
    );
    return {
      count: options.count,
      windowMs: options.windowMs,
      lateness,
      missing: options.count - sentAt.size,
      startsPerSecond,
      planSeconds,
      stages,
      workerCpu: (after.worker - before.worker) / seconds,
      serverCpu: (after.server - before.server) / seconds,
      workerWaiting: (after.workerWaiting - before.workerWaiting) / seconds,
      serverWaiting: (after.serverWaiting - before.serverWaiting) / seconds,
      workerCpuMsPerReminder: ((after.worker - before.worker) * 1000) / Math.max(1, sentAt.size),
      serverCpuMsPerReminder: ((after.server - before.server) * 1000) / Math.max(1, sentAt.size),
      load,
    };
  } finally {
    await worker.stop();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The stages of a sample of reminders, from their histories (read after the window, so the reads do
 * not load the server while reminders fire): timer = TimerFired − due; pickup = the workflow task's
 * start − TimerFired; decide = the sendSms activity scheduled − pickup (replay, the contact decision,
 * the task's completion); dispatch = activity started − scheduled; send = sandbox acceptance −
 * activity started (the store's bookkeeping, the gate, the pacing slot, the HTTP request).
 */
async function stageBreakdown(
  client: Client,
  indexes: number[],
  workflowIdOf: (index: number) => string,
  dueOf: (index: number) => number,
  sentAt: Map<number, number>,
): Promise<StageBreakdown> {
  const stages: StageBreakdown = { timer: [], pickup: [], decide: [], dispatch: [], send: [] };
  await pool(indexes.length, 8, async (i) => {
    const index = indexes[i] as number;
    const sent = sentAt.get(index);
    if (sent === undefined) return;
    let events;
    try {
      events = (await client.workflow.getHandle(workflowIdOf(index)).fetchHistory()).events ?? [];
    } catch {
      return;
    }
    const due = dueOf(index);
    const at = (event: (typeof events)[number]) => tsToMs(event.eventTime);
    const fired = events.findIndex((event) => event.timerFiredEventAttributes != null);
    const scheduled = events.findIndex(
      (event, n) => n > fired && event.activityTaskScheduledEventAttributes?.activityType?.name === 'sendSms',
    );
    const pickedUp = events.findIndex(
      (event, n) => n > fired && event.workflowTaskStartedEventAttributes != null,
    );
    const startedEvent = events.find(
      (event) =>
        event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() ===
        String(events[scheduled]?.eventId),
    );
    if (fired < 0 || scheduled < 0 || pickedUp < 0 || startedEvent === undefined) return;
    const firedAt = at(events[fired] as (typeof events)[number]);
    const pickedUpAt = at(events[pickedUp] as (typeof events)[number]);
    const scheduledAt = at(events[scheduled] as (typeof events)[number]);
    const startedAt = at(startedEvent);
    stages.timer.push(firedAt - due);
    stages.pickup.push(pickedUpAt - firedAt);
    stages.decide.push(scheduledAt - pickedUpAt);
    stages.dispatch.push(startedAt - scheduledAt);
    stages.send.push(sent - startedAt);
  });
  return stages;
}

const ms = (value: number) => `${Math.round(value)} ms`;

/** p50 / p99 of one stage, e.g. "12 / 240 ms". */
const spread = (values: number[]) =>
  values.length === 0 ? 'n/a' : `${Math.round(percentile(values, 50))} / ${ms(percentile(values, 99))}`;

/** Rows for one target; with `baseline` (the embedded default's result), ratios against it. */
export function reminderLatenessRows(
  label: string,
  result: ReminderLatenessResult,
  baseline?: { label: string; result: ReminderLatenessResult },
): BenchRow[] {
  const size = `${result.count} due in ${result.windowMs / 1000} s`;
  const p50 = percentile(result.lateness, 50);
  const p99 = percentile(result.lateness, 99);
  const base = baseline?.result;
  const ratioOf = (value: number, of: number | undefined) =>
    of === undefined ? '' : `${(value / of).toFixed(2)}× ${baseline?.label}`;
  const loadNote = `load ${result.load.toFixed(1)}`;
  const rows: BenchRow[] = [
    {
      benchmark: `${label}: reminder start rate (appointmentReminder, client library)`,
      measured: `${result.startsPerSecond.toFixed(0)}/s`,
      baseline: base ? `${base.startsPerSecond.toFixed(0)}/s ${baseline?.label}` : 'itself',
      ratio: ratioOf(result.startsPerSecond, base?.startsPerSecond),
      target: `planned in ${result.planSeconds.toFixed(0)} s`,
    },
    {
      benchmark: `${label}: reminder sent − due p50 (${size})`,
      measured: ms(p50),
      baseline: base ? `${ms(percentile(base.lateness, 50))} ${baseline?.label}` : loadNote,
      ratio: ratioOf(p50, base ? percentile(base.lateness, 50) : undefined),
      target: '',
    },
    {
      benchmark: `${label}: reminder sent − due p99 (${size})`,
      measured: ms(p99),
      baseline: base ? `${ms(percentile(base.lateness, 99))} ${baseline?.label}` : loadNote,
      ratio: base
        ? ratioOf(p99, percentile(base.lateness, 99))
        : `${(p99 / TARGET_P99_MS).toFixed(2)}× of target`,
      target: p99 <= TARGET_P99_MS ? `met (≤ ${TARGET_P99_MS} ms)` : `MISSED (≤ ${TARGET_P99_MS} ms)`,
    },
    {
      benchmark: `${label}: reminders sent / max lateness`,
      measured: `${result.lateness.length} of ${result.count} / ${ms(Math.max(...result.lateness))}`,
      baseline: loadNote,
      ratio: `${result.missing} not sent`,
      target: result.missing === 0 ? 'met (all sent)' : 'MISSED (some not sent)',
    },
    {
      benchmark: `${label}: stages p50 / p99 (sample of ${result.stages.timer.length} histories)`,
      measured:
        `timer ${spread(result.stages.timer)}; pickup ${spread(result.stages.pickup)}; ` +
        `decide ${spread(result.stages.decide)}; dispatch ${spread(result.stages.dispatch)}; send ${spread(result.stages.send)}`,
      baseline: 'fired−due; task start−fired; activity scheduled−task start; started−scheduled; sent−started',
      ratio: '',
      target: '',
    },
    {
      benchmark: `${label}: CPU from first due to last sent, cores / ms per reminder`,
      measured:
        `worker ${result.workerCpu.toFixed(2)} / ${result.workerCpuMsPerReminder.toFixed(1)} ms; ` +
        `Temporal ${result.serverCpu.toFixed(2)} / ${result.serverCpuMsPerReminder.toFixed(1)} ms`,
      baseline: base
        ? `worker ${base.workerCpuMsPerReminder.toFixed(1)} ms, Temporal ${base.serverCpuMsPerReminder.toFixed(1)} ms ${baseline?.label}`
        : `${((result.count / result.windowMs) * 1000).toFixed(0)} due/s × ms per reminder = cores needed`,
      ratio: ratioOf(
        result.workerCpuMsPerReminder + result.serverCpuMsPerReminder,
        base ? base.workerCpuMsPerReminder + base.serverCpuMsPerReminder : undefined,
      ),
      target: loadNote,
    },
    {
      benchmark: `${label}: threads waiting for a CPU, same span (thread-seconds per second)`,
      measured: `worker ${result.workerWaiting.toFixed(2)}; Temporal ${result.serverWaiting.toFixed(2)}`,
      baseline: 'beside the CPU used: waiting ≫ used means starved by the machine, not busy',
      ratio: '',
      target: loadNote,
    },
  ];
  return rows;
}
