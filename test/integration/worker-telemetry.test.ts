import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { metricFamilies } from '../../metrics/dashboard-metric-names';
import { projectRoot } from '../../runtime/project-paths';
import { cliEnv, recontactCommand } from '../harness/cli';
import { parsePrometheusText, type PrometheusScrape } from '../harness/prometheus-text';
import { connectTestClient, eventually, freePort } from '../harness/temporal';

/** The sum of a family's samples (a counter over every label set). */
const total = (scrape: PrometheusScrape, name: string): number =>
  scrape.samples.filter((sample) => sample.name === name).reduce((sum, sample) => sum + sample.value, 0);

/**
 * `recontact worker` in its own process, as an operator runs it: the Temporal SDK's runtime metrics
 * on WORKER_METRICS_ADDRESS, the domain metrics on METRICS_PORT, and its log as JSON lines.
 */
describe('a worker process’s metrics and logs', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-worker-telemetry-'));
  const taskQueue = `telemetry-${randomUUID()}`;
  let client: Client;
  let worker: ChildProcess;
  let log = '';
  let sdkMetrics: string;
  let domainMetrics: string;

  beforeAll(async () => {
    client = await connectTestClient();
    const sdkPort = await freePort();
    const domainPort = await freePort();
    sdkMetrics = `http://127.0.0.1:${sdkPort}/metrics`;
    domainMetrics = `http://127.0.0.1:${domainPort}/metrics`;
    const [program, ...args] = recontactCommand;
    worker = spawn(program ?? '', [...args, 'worker'], {
      cwd: projectRoot(),
      env: {
        ...cliEnv({ taskQueue, customerKeySecret: 'telemetry-secret-0123456789abcdef', dataDir }),
        API_HOST: '127.0.0.1',
        METRICS_PORT: String(domainPort),
        WORKER_METRICS_ADDRESS: `127.0.0.1:${sdkPort}`,
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    worker.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await eventually(async () => {
      const response = await fetch(sdkMetrics).catch(() => undefined);
      return response?.status === 200 ? true : undefined;
    }, 90_000);
  }, 120_000);
  afterAll(async () => {
    if (worker !== undefined && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await client?.connection.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const scrape = async (url: string): Promise<PrometheusScrape> => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return parsePrometheusText(await response.text());
  };

  it('serves the SDK’s runtime metrics and its own, and the SDK’s move as the worker runs a workflow', async () => {
    const before = await scrape(sdkMetrics);
    const handle = await client.workflow.start('doctorProbe', {
      taskQueue,
      workflowId: `telemetry-probe-${randomUUID()}`,
    });
    await handle.result();
    const after = await eventually(async () => {
      const scraped = await scrape(sdkMetrics);
      return total(scraped, 'temporal_workflow_completed') > total(before, 'temporal_workflow_completed')
        ? scraped
        : undefined;
    });
    expect(total(after, 'temporal_workflow_completed') - total(before, 'temporal_workflow_completed')).toBe(
      1,
    );
    expect([...after.types.keys()]).toEqual(
      expect.arrayContaining([
        'temporal_workflow_task_execution_latency',
        'temporal_worker_task_slots_available',
      ]),
    );
    // Every SDK metric the Grafana dashboard in docs/ charts is one this worker serves.
    const dashboard = readFileSync(
      path.join(projectRoot(), 'docs', 'grafana', 'recontact-dashboard.json'),
      'utf8',
    );
    const charted = metricFamilies(dashboard).filter((name) => name.startsWith('temporal_'));
    expect(charted.length).toBeGreaterThan(0);
    expect(charted.filter((name) => !after.types.has(name))).toEqual([]);
    const domain = await scrape(domainMetrics);
    expect(domain.types.get('recontact_offers_total')).toBe('counter');
    expect(domain.types.get('recontact_claim_to_call_seconds')).toBe('histogram');
  }, 60_000);

  it('writes JSON log lines that carry the run’s workflow id and run id', async () => {
    const workflowId = `telemetry-logged-${randomUUID()}`;
    const handle = await client.workflow.start('doctorProbe', { taskQueue, workflowId });
    await handle.result();
    const runId = handle.firstExecutionRunId;
    const lines = await eventually(async () => {
      const found = log
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.runId === runId);
      return found.some((line) => line.msg === 'Workflow completed') ? found : undefined;
    });
    for (const line of lines) {
      expect(line).toMatchObject({
        workflowId,
        runId,
        workflowType: 'doctorProbe',
        level: expect.any(String),
      });
      expect(typeof line.time).toBe('string');
    }
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['Workflow started', 'Workflow completed']),
    );
  }, 60_000);
});
