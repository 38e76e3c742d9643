import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { reminderStatus, startReminder } from '../../../client/reminders';
import { sandboxAuthToken } from '../../../runtime/sandbox-credentials';
import { resolveTemporalServer } from '../../../runtime/temporal-server';
import {
  clusterAddress,
  clusterDown,
  clusterMembers,
  clusterUp,
  isAlive,
  restartNode,
  type ClusterState,
} from '../../../runtime/temporal-cluster';
import { startSandbox, type TwilioSandbox } from '../../../sandbox';
import { recontactCommand, runToEnd } from '../../harness/cli';
import { roundTheClockPolicyFile } from '../../harness/policy-files';
import { eventually, freePort } from '../../harness/temporal';

/**
 * Issue 15's short kill test, on a real two-node Temporal cluster over PostgreSQL with two
 * `recontact worker` processes: reminders come due while one worker and one Temporal node are
 * SIGKILLed and the node is brought back. Judged from the sandbox's outbox: every reminder went
 * out, duplicates at most one per kill, and both nodes are members of every ring again.
 */
describe('Recontact on a two-node Temporal cluster', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-cluster-'));
  // As root, the cluster's PostgreSQL runs as the `postgres` user, who must reach its folder.
  chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const namespace = 'cluster-test';
  const taskQueue = `cluster-${randomUUID().slice(0, 8)}`;
  const customerKeySecret = randomBytes(16).toString('hex');
  let sandbox: TwilioSandbox;
  let state: ClusterState;
  let client: Client;

  beforeAll(async () => {
    // First run on a fresh machine: the server is built from the Go module proxy (CI provisions it).
    await resolveTemporalServer();
    sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 5 });
    const sandboxPort = Number(new URL(sandbox.url).port);
    state = await clusterUp({
      dir: path.join(dir, 'cluster'),
      nodes: 2,
      basePort: await freePortBlock(),
      namespace,
      workers: 2,
      api: false,
      numHistoryShards: 4,
      recontactArgv: recontactCommand,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TEMPORAL_TASK_QUEUE: taskQueue,
        DATA_DIR: dataDir,
        CUSTOMER_KEY_SECRET: customerKeySecret,
        CONTACT_POLICY_FILE: roundTheClockPolicyFile(dir),
        SANDBOX_PORT: String(sandboxPort),
        SANDBOX_SMTP_PORT: String(await freePort()),
        PACING_SMS_PER_SECOND: '20',
        WORKER_SHUTDOWN_GRACE_SECONDS: '2',
        LOG_LEVEL: 'warn',
      },
      progress: { step() {} },
    });
    const connection = await Connection.connect({ address: clusterAddress(state) });
    client = new Client({ connection, namespace });
    // Both workers have bundled their workflows and poll.
    await eventually(
      async () =>
        state.recontact.every((proc) => tailOf(proc.logFile).includes('Recontact is ready'))
          ? true
          : undefined,
      120_000,
    );
  }, 600_000);

  afterAll(async () => {
    await client?.connection.close();
    await clusterDown(path.join(dir, 'cluster'));
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('forms one cluster: both nodes in every ring, and `recontact doctor` passes against it', async () => {
    await eventually(async () => {
      const members = await clusterMembers(state);
      return ['frontend', 'history', 'matching', 'worker'].every(
        (role) => members.filter((member) => member.role === role).length === 2,
      )
        ? true
        : undefined;
    }, 30_000);
    const doctor = await runToEnd([...recontactCommand, 'doctor', '--json', '--timeout', '60'], {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dir,
      TEMPORAL_ADDRESS: clusterAddress(state),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    const report = JSON.parse(doctor.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ['temporal', true],
      ['namespace', true],
      ['search-attributes', true],
      ['worker', true],
      ['probe-workflow', true],
      ['local-cluster', true],
    ]);
    expect(doctor.code).toBe(0);
  });

  it('delivers every reminder through a worker kill and a node kill, at most one duplicate per kill', async () => {
    const count = 30;
    const started = Date.now();
    const phones = Array.from(
      { length: count },
      (_, index) => `+1415555${String(1000 + index).padStart(4, '0')}`,
    );
    const deps = { temporal: client, taskQueue, customerKeySecret };
    const appointmentIds = phones.map((_, index) => `cluster-${randomUUID().slice(0, 8)}-${index}`);
    for (const [index, phone] of phones.entries()) {
      // Due 20–32 s from now: a 5-minute reminder before an appointment 5 min 20–32 s away (a
      // reminder may go late, never after the appointment: the slack keeps a loaded machine honest).
      await startReminder(deps, {
        appointmentId: appointmentIds[index] ?? '',
        at: new Date(started + 320_000 + (index % 13) * 1_000).toISOString(),
        contact: { phone, timeZone: 'America/New_York', country: 'US' },
        offsets: [{ channel: 'sms', minutes: 5, whenConfirmed: 'send' }],
      });
    }
    // Every series planned its reminder before anything is killed (a reminder whose time passed
    // before it was planned is skipped by design: that is not what this test is about).
    await eventually(async () => {
      const states = await Promise.all(appointmentIds.map((id) => reminderStatus(deps, id)));
      return states.every((status) => status?.state === 'scheduled') ? true : undefined;
    }, 20_000);

    // As the first reminders come due: SIGKILL one worker and one Temporal node.
    await sleep(Math.max(0, started + 21_000 - Date.now()));
    const worker = state.recontact[1];
    const node = state.nodes[1];
    if (worker === undefined || node === undefined) throw new Error('cluster incomplete');
    process.kill(worker.pid, 'SIGKILL');
    process.kill(node.pid, 'SIGKILL');
    const kills = 2;
    await eventually(async () => (!isAlive(node.pid) ? true : undefined), 5_000);
    await sleep(5_000);
    state = restartNode(path.join(dir, 'cluster'), 1);

    // Every customer got the reminder, judged from the outbox.
    const outbox = await eventually(async () => {
      const messages = sandbox.outbox.listMessages().filter((message) => phones.includes(message.to));
      return new Set(messages.map((message) => message.to)).size === count ? messages : undefined;
    }, 120_000).catch(async (error: unknown) => {
      const reached = new Set(sandbox.outbox.listMessages().map((message) => message.to)).size;
      const logs = state.recontact.map((proc) => `${proc.logFile}:\n${tailOf(proc.logFile)}`).join('\n');
      const first = await reminderStatus(deps, appointmentIds[0] ?? '').catch((failure: unknown) => failure);
      throw new Error(
        `${String(error)}; ${reached}/${count} customers reached\n${logs}\nfirst reminder: ${JSON.stringify(first)}`,
      );
    });
    await sleep(3_000);
    const final = sandbox.outbox.listMessages().filter((message) => phones.includes(message.to));
    expect(new Set(final.map((message) => message.to)).size).toBe(count);
    expect(final.length - count).toBeLessThanOrEqual(kills);
    expect(outbox.length).toBeGreaterThanOrEqual(count);

    // The restarted node is back in every ring; its log shows it started again.
    await eventually(async () => {
      const members = await clusterMembers(state);
      return ['frontend', 'history', 'matching', 'worker'].every(
        (role) => members.filter((member) => member.role === role).length === 2,
      )
        ? true
        : undefined;
    }, 60_000);
    expect(readFileSync(node.logFile, 'utf8').length).toBeGreaterThan(0);
  }, 240_000);
});

function tailOf(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Ten free ports per node from a base: probe the block for two nodes. */
async function freePortBlock(): Promise<number> {
  for (let tries = 0; tries < 20; tries += 1) {
    // Below 32768: Temporal records membership ports as a PostgreSQL smallint.
    const base = 20_000 + Math.floor(Math.random() * 1_000) * 10;
    if (await allFree(base, 20)) return base;
  }
  throw new Error('no block of 20 free ports');
}

async function allFree(base: number, size: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  for (let port = base; port < base + size; port += 1) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}
