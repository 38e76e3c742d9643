import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sandboxAuthToken } from '../../../runtime/sandbox-credentials';
import { resolveTemporalServer } from '../../../runtime/temporal-server';
import { resolveTemporalUiServer } from '../../../runtime/temporal-ui-server';
import {
  clusterAddress,
  clusterDown,
  clusterMembers,
  clusterUp,
  recontactEnvOf,
  isAlive,
  restartNode,
  RING_ROLES,
  type ClusterState,
} from '../../../runtime/temporal-cluster';
import { startSandbox, type TwilioSandbox } from '../../../sandbox';
import { recontactCommand, runToEnd } from '../../harness/cli';
import { runKillScenario } from '../../harness/kill-scenario';
import { TEST_PAYLOAD_KEYS, testDataConverter } from '../../harness/payload-keys';
import { roundTheClockPolicyFile } from '../../harness/policy-files';
import { eventually, freePort } from '../../harness/temporal';

/**
 * Issue 15's short kill test, on a real two-node Temporal cluster over PostgreSQL with
 * `recontact worker` processes that reach it through the frontend balancer: reminders come due
 * while workers and Temporal node 0 — the node whose frontend everything used before the balancer
 * — are SIGKILLed, and the node is brought back 12 s later. Judged from the sandbox's outbox:
 * every reminder went out, some while node 0 was dead (so the workers reached the survivor through
 * the balancer), duplicates at most one per kill, and both nodes are members of every ring again.
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
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    // First run on a fresh machine: the server and UI are built from the Go module proxy (CI provisions them).
    await resolveTemporalServer();
    await resolveTemporalUiServer();
    sandbox = await startSandbox({ authToken: sandboxAuthToken({ DATA_DIR: dataDir }), stepDelayMs: 5 });
    const sandboxPort = Number(new URL(sandbox.url).port);
    workerEnv = {
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
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    };
    // One worker started by `cluster up` itself (the doctor sees it poll); the kill scenario adds its own.
    state = await clusterUp({
      dir: path.join(dir, 'cluster'),
      nodes: 2,
      basePort: await freePortBlock(),
      namespace,
      workers: 1,
      api: false,
      ui: {},
      numHistoryShards: 4,
      recontactArgv: recontactCommand,
      env: workerEnv,
      progress: { step() {} },
    });
    const connection = await Connection.connect({ address: clusterAddress(state) });
    client = new Client({ connection, namespace, dataConverter: testDataConverter() });
    // Both workers have bundled their workflows and poll.
    await eventually(
      async () =>
        state.recontact.every((proc) => logOf(proc.logFile).includes('Recontact is ready'))
          ? true
          : undefined,
      120_000,
    );
  }, 600_000);

  /** Both nodes in every ring, as the cluster's own membership table records it. */
  async function bothNodesInEveryRing(timeoutMs: number): Promise<void> {
    await eventually(async () => {
      const members = await clusterMembers(state);
      return RING_ROLES.every((role) => members.filter((member) => member.role === role).length === 2)
        ? true
        : undefined;
    }, timeoutMs);
  }

  afterAll(async () => {
    await client?.connection.close();
    await clusterDown(path.join(dir, 'cluster'));
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('forms one cluster: both nodes in every ring, and `recontact doctor` passes against it', async () => {
    await bothNodesInEveryRing(30_000);
    const doctor = await runToEnd([...recontactCommand, 'doctor', '--json', '--timeout', '60'], {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dir,
      TEMPORAL_ADDRESS: clusterAddress(state),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
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

    // The Web UI `cluster up` started reads the cluster: its HTTP API lists the doctor's probe run.
    const ui = state.ui?.url ?? 'no ui';
    expect((await fetch(ui)).status).toBe(200);
    const listed = (await (
      await fetch(
        `${ui}/api/v1/namespaces/${namespace}/workflows?query=${encodeURIComponent('WorkflowType="doctorProbe"')}`,
      )
    ).json()) as { executions?: { type?: { name?: string } }[] };
    expect(listed.executions?.length ?? 0).toBeGreaterThan(0);
  });

  it('delivers every reminder through worker kills and the death of node 0, at most one duplicate per kill', async () => {
    const clusterDir = path.join(dir, 'cluster');
    const result = await runKillScenario({
      temporal: {
        address: clusterAddress(state),
        namespace,
        label: 'node 0',
        kill: () => {
          process.kill(state.nodes[0]?.pid ?? -1, 'SIGKILL');
        },
        restart: async () => {
          await eventually(async () => (!isAlive(state.nodes[0]?.pid ?? -1) ? true : undefined), 5_000);
          state = restartNode(clusterDir, 0);
        },
      },
      client,
      sandbox,
      workerEnv: { ...workerEnv, ...recontactEnvOf(state, namespace) },
      taskQueue,
      customerKeySecret,
      logDir: clusterDir,
      reminders: 30,
      firstDueAfterMs: 15_000,
      dueSpreadMs: 12_000,
      workers: 2,
      workerKillEveryMs: 3_000,
      workerKills: 2,
      temporalKillAfterMs: 1_000,
      // Down until after the last reminder is due: those due meanwhile can only go out through node 1.
      temporalDownMs: 12_000,
      drain: { minMs: 60_000, maxMs: 120_000 },
    });
    expect(result.reached).toBe(result.customers);
    expect(result.duplicates).toBeLessThanOrEqual(result.kills);
    expect(result.kills).toBe(3);
    // Workers kept working while node 0 was dead: they reconnected through the balancer to node 1.
    expect(result.sentWhileTemporalDown).toBeGreaterThan(0);
    // The balancer saw node 0 go and come back.
    const node0 = state.nodes[0]?.frontend ?? 'node 0';
    const balancerLog = logOf(state.balancer?.logFile ?? '');
    expect(balancerLog).toContain(`frontend ${node0} unhealthy`);
    expect(balancerLog.slice(balancerLog.indexOf(`frontend ${node0} unhealthy`))).toContain(
      `frontend ${node0} healthy`,
    );
    // The restarted node is back in every ring.
    await bothNodesInEveryRing(60_000);
  }, 300_000);
});

function logOf(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Ten free ports for the balancer and the UI, then ten per node: probe the block for two nodes. */
async function freePortBlock(): Promise<number> {
  for (let tries = 0; tries < 20; tries += 1) {
    // Below 32768: Temporal records membership ports as a PostgreSQL smallint.
    const base = 20_000 + Math.floor(Math.random() * 1_000) * 10;
    if (await allFree(base, 30)) return base;
  }
  throw new Error('no block of 30 free ports');
}

async function allFree(base: number, size: number): Promise<boolean> {
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
