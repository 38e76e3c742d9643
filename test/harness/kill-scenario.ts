import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ReminderClient } from '../../client/reminders';
import type { TwilioSandbox } from '../../sandbox';
import { projectRoot } from '../../runtime/project-paths';
import { recontactCommand } from './cli';
import { type DrainResult, waitForDrain } from './drain';
import { eventually } from './temporal';

/** The Temporal side of a kill scenario: a cluster node or the embedded dev server. */
export interface KillableTemporal {
  address: string;
  namespace: string;
  /** SIGKILL one Temporal server process (a node), or stop the dev server. */
  kill(): void | Promise<void>;
  /** Start it again on the same data. */
  restart(): Promise<void>;
  /** Label for results, e.g. "node 1" or "dev server". */
  label: string;
}

export interface KillScenarioOptions {
  temporal: KillableTemporal;
  client: Client;
  sandbox: TwilioSandbox;
  /** Environment of the `recontact worker` processes (task queue, DATA_DIR, policy, sandbox port…). */
  workerEnv: Record<string, string>;
  taskQueue: string;
  customerKeySecret: string;
  /** Folder for the worker logs. */
  logDir: string;
  reminders: number;
  /** The first reminder is due this long after the series are planned. */
  firstDueAfterMs: number;
  /** Reminders are spread evenly over this window. */
  dueSpreadMs: number;
  workers: number;
  /** SIGKILL one worker (and start a fresh one) this often while reminders come due… */
  workerKillEveryMs: number;
  /** …this many times. */
  workerKills: number;
  /** SIGKILL the Temporal process this long after the first reminder is due, and restart it after `temporalDownMs`. */
  temporalKillAfterMs: number;
  temporalDownMs: number;
  /**
   * How long to wait, once the kills are over, for the backlog to drain (every reminder sent or its
   * series closed without it): twice the time the throughput measured so far needs, at least
   * `minMs` past the last due time, at most `maxMs` (test/harness/drain.ts).
   */
  drain: { minMs: number; maxMs: number };
  /** Progress lines (the soak prints them; the test does not). */
  log?: (line: string) => void;
  /** More load over the same window (callbacks): started when the first reminder is due, awaited before the workers stop. */
  during?: (firstDue: number) => Promise<unknown>;
}

export interface KillScenarioResult {
  customers: number;
  reached: number;
  /**
   * Not sent, but accounted for: the series closed normally (Temporal's record) without a send —
   * the appointment came before the backlog let the reminder out ('cannot-deliver-in-time').
   */
  accountedFor: number;
  /** Neither sent nor accounted for: still running at the end of the wait, or closed abnormally. */
  lost: number;
  drain: DrainResult;
  sends: number;
  duplicates: number;
  kills: number;
  /** Sent (the sandbox's acceptance) minus due, per reminder's first send, ms. */
  latenessMs: { p50: number; p99: number; max: number };
  /** Reminders the sandbox accepted while the Temporal process was down (killed, not yet restarted). */
  sentWhileTemporalDown: number;
}

const ringPhone = (index: number) => `+1415556${String(index).padStart(4, '0')}`;

/**
 * Reminders come due while `recontact worker` processes are SIGKILLed and replaced, and the
 * Temporal server (a node or the dev server) is SIGKILLed and restarted once. Judged from the
 * sandbox's outbox only: who was reached, how often, and how late.
 */
export async function runKillScenario(options: KillScenarioOptions): Promise<KillScenarioResult> {
  const workers: ChildProcess[] = [];
  const startWorker = (index: number): ChildProcess => {
    const out = openSync(path.join(options.logDir, `kill-worker-${index}.log`), 'a');
    const [command, ...args] = recontactCommand;
    const child = spawn(command ?? '', [...args, 'worker'], {
      cwd: projectRoot(),
      env: options.workerEnv,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    return child;
  };
  const logOf = (index: number) => {
    try {
      return readFileSync(path.join(options.logDir, `kill-worker-${index}.log`), 'utf8');
    } catch {
      return '';
    }
  };
  let spawned = 0;
  for (; spawned < options.workers; spawned += 1) workers.push(startWorker(spawned));
  try {
    await eventually(
      async () =>
        workers.every((_, index) => logOf(index).includes('Recontact is ready')) ? true : undefined,
      180_000,
    );

    options.log?.(`${options.workers} workers ready; starting ${options.reminders} reminders`);
    const reminders = new ReminderClient({
      temporal: options.client,
      taskQueue: options.taskQueue,
      customerKeySecret: options.customerKeySecret,
    });
    const ids = Array.from(
      { length: options.reminders },
      (_, index) => `kill-${randomUUID().slice(0, 8)}-${index}`,
    );
    const phones = ids.map((_, index) => ringPhone(index));
    const plannedBy = Date.now() + options.firstDueAfterMs;
    // A 5-minute reminder: it may go late, never after the appointment.
    const dueAt = ids.map((_, index) =>
      Math.round(plannedBy + (options.dueSpreadMs * index) / Math.max(1, options.reminders - 1)),
    );
    await Promise.all(
      ids.map((id, index) =>
        reminders.start({
          appointmentId: id,
          at: new Date((dueAt[index] ?? 0) + 300_000).toISOString(),
          contact: { phone: phones[index] ?? '', timeZone: 'America/New_York', country: 'US' },
          offsets: [{ channel: 'sms', minutes: 5, whenConfirmed: 'send' }],
        }),
      ),
    );
    // Planned before anything is killed: a reminder whose time passed before planning is skipped by design.
    await eventually(
      async () => {
        const states = await Promise.all(ids.slice(0, 50).map((id) => reminders.status(id)));
        return states.every((status) => status?.state === 'scheduled') ? true : undefined;
      },
      Math.max(30_000, options.firstDueAfterMs),
    );

    options.log?.(`reminders planned; the first is due at ${new Date(dueAt[0] ?? 0).toISOString()}`);
    let kills = 0;
    let temporalDown = { from: Infinity, to: -Infinity };
    const firstDue = dueAt[0] ?? Date.now();
    let alongsideFailure: unknown;
    const alongside = options.during?.(firstDue).catch((error: unknown) => {
      alongsideFailure = error ?? new Error('the load alongside failed');
    });
    const killing = (async () => {
      await sleepUntil(firstDue);
      const temporalKill = (async () => {
        await sleepUntil(firstDue + options.temporalKillAfterMs);
        const from = Date.now();
        await options.temporal.kill();
        kills += 1;
        await sleep(options.temporalDownMs);
        temporalDown = { from, to: Date.now() };
        await options.temporal.restart();
      })();
      for (let round = 0; round < options.workerKills; round += 1) {
        await sleep(options.workerKillEveryMs);
        const victim = workers.shift();
        victim?.kill('SIGKILL');
        kills += 1;
        workers.push(startWorker(spawned));
        spawned += 1;
      }
      await temporalKill;
    })();

    const byPhone = () => {
      const firstSend = new Map<string, number>();
      let sends = 0;
      let whileDown = 0;
      for (const message of options.sandbox.outbox.listMessages()) {
        if (!phones.includes(message.to)) continue;
        sends += 1;
        if (message.acceptedAt >= temporalDown.from && message.acceptedAt <= temporalDown.to) whileDown += 1;
        if (!firstSend.has(message.to) || (firstSend.get(message.to) ?? 0) > message.acceptedAt)
          firstSend.set(message.to, message.acceptedAt);
      }
      return { firstSend, sends, whileDown };
    };
    await killing;
    options.log?.(`kills over (${kills}); waiting for the backlog`);
    // A series whose appointment passed without its reminder closes and says why: accounted for.
    const closedWithoutSend = new Map<string, string>();
    let lastLookup = 0;
    const open = async () => {
      const { firstSend } = byPhone();
      const unsent = ids.filter(
        (id, index) => !firstSend.has(phones[index] ?? '') && !closedWithoutSend.has(id),
      );
      if (unsent.length > 0 && Date.now() - lastLookup > 10_000) {
        lastLookup = Date.now();
        const overdue = unsent.filter((id) => (dueAt[ids.indexOf(id)] ?? 0) + 300_000 < Date.now());
        for (const id of overdue) {
          const described = await options.client.workflow
            .getHandle(reminders.workflowIdFor(id))
            .describe()
            .catch(() => undefined);
          if (described !== undefined && described.status.name !== 'RUNNING')
            closedWithoutSend.set(id, described.status.name);
        }
      }
      return ids.filter((id, index) => !firstSend.has(phones[index] ?? '') && !closedWithoutSend.has(id))
        .length;
    };
    const drain = await waitForDrain({
      label: 'reminders',
      total: options.reminders,
      open,
      firstDueAt: dueAt[0] ?? Date.now(),
      lastDueAt: dueAt.at(-1) ?? Date.now(),
      ...options.drain,
      ...(options.log !== undefined ? { log: options.log } : {}),
    });
    await alongside;
    if (alongsideFailure !== undefined) throw alongsideFailure;
    await sleep(3_000);
    const { firstSend, sends, whileDown } = byPhone();
    const accounted = ids.filter(
      (id, index) => !firstSend.has(phones[index] ?? '') && closedWithoutSend.get(id) === 'COMPLETED',
    ).length;
    const lateness = phones
      .map((phone, index) =>
        firstSend.has(phone) ? (firstSend.get(phone) ?? 0) - (dueAt[index] ?? 0) : undefined,
      )
      .filter((value): value is number => value !== undefined)
      .sort((a, b) => a - b);
    const at = (share: number) =>
      lateness[Math.min(lateness.length - 1, Math.floor(share * lateness.length))] ?? NaN;
    return {
      customers: options.reminders,
      reached: firstSend.size,
      accountedFor: accounted,
      lost: options.reminders - firstSend.size - accounted,
      drain,
      sends,
      duplicates: sends - firstSend.size,
      kills,
      latenessMs: { p50: at(0.5), p99: at(0.99), max: lateness.at(-1) ?? NaN },
      sentWhileTemporalDown: whileDown,
    };
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function sleepUntil(at: number): Promise<void> {
  return sleep(at - Date.now());
}
