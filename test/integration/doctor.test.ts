import type { Client } from '@temporalio/client';
import { RecontactClient } from '../../client/recontact-client';
import { connectTestClient, createTestWorker, testConfig } from '../harness/temporal';

describe('recontact doctor', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectTestClient();
  });
  afterAll(async () => {
    await client.connection.close();
  });

  it('passes every check when a worker polls the task queue', async () => {
    const config = testConfig();
    const worker = await createTestWorker(config);
    const checks = await worker.runUntil(() =>
      new RecontactClient(client, config.TEMPORAL_TASK_QUEUE).doctor({ probeTimeoutSeconds: 20 }),
    );
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['temporal', true],
      ['namespace', true],
      ['search-attributes', true],
      ['worker', true],
      ['probe-workflow', true],
    ]);
  });

  it('says no worker polls, and how to fix it, when none does', async () => {
    const checks = await new RecontactClient(client, 'nobody-polls-this-queue').doctor();
    const worker = checks.find((check) => check.name === 'worker');
    expect(worker).toMatchObject({ ok: false, fix: expect.stringContaining('recontact worker') });
    expect(checks.some((check) => check.name === 'probe-workflow')).toBe(false);
  });

  it('reports a missing namespace with the command that creates it', async () => {
    const other = await connectTestClient(undefined, 'no-such-namespace');
    try {
      const checks = await new RecontactClient(other, 'q').doctor();
      expect(checks.at(-1)).toMatchObject({
        name: 'namespace',
        ok: false,
        fix: expect.stringContaining('temporal operator namespace create --namespace no-such-namespace'),
      });
    } finally {
      await other.connection.close();
    }
  });
});
