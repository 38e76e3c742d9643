import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { RecontactClient } from '../../client/recontact-client';
import { searchAttributes } from '../../workflows/search-attributes';
import { waitThenComplete } from '../workflows/wait-then-complete';
import { connectTestClient, createTestWorker, eventually, testConfig } from '../harness/temporal';

describe('the shared Temporal dev server (provisioned CLI, existing-path)', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectTestClient();
  });
  afterAll(async () => {
    await client.connection.close();
  });

  it('runs a workflow and finds it by custom search attributes through a visibility query', async () => {
    const config = testConfig();
    const worker = await createTestWorker(config);
    const marker = `tenant-${randomUUID().slice(0, 8)}`;
    await worker.runUntil(async () => {
      const result = await client.workflow.execute(waitThenComplete, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `visibility-${marker}`,
        args: [10],
        typedSearchAttributes: [
          { key: searchAttributes.Kind, value: 'probe' },
          { key: searchAttributes.Tenant, value: marker },
          { key: searchAttributes.Priority, value: 7 },
        ],
      });
      expect(result).toBe('waited 10 ms');
    });

    const listed = await eventually(async () => {
      const ids: string[] = [];
      for await (const run of client.workflow.list({
        query: `Kind = "probe" AND Tenant = "${marker}" AND State = "done" AND Priority >= 5`,
      })) {
        ids.push(run.workflowId);
      }
      return ids.length > 0 ? ids : undefined;
    });
    expect(listed).toEqual([`visibility-${marker}`]);
  });

  it('lists runs through the typed client filter', async () => {
    const config = testConfig();
    const worker = await createTestWorker(config);
    const recontact = new RecontactClient(client, config.TEMPORAL_TASK_QUEUE);
    const workflowId = `runs-${randomUUID()}`;
    await worker.runUntil(() =>
      client.workflow.execute(waitThenComplete, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [1],
        typedSearchAttributes: [
          { key: searchAttributes.Kind, value: 'probe' },
          { key: searchAttributes.Customer, value: workflowId },
        ],
      }),
    );
    const runs = await eventually(async () => {
      const found = await recontact.listRuns({ customer: workflowId, open: false });
      return found.length > 0 ? found : undefined;
    });
    expect(runs).toEqual([
      expect.objectContaining({
        workflowId,
        type: 'waitThenComplete',
        status: 'COMPLETED',
        kind: 'probe',
        state: 'done',
      }),
    ]);
  });
});
