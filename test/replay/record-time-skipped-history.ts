/**
 * Records the history of a run that needs days or years to pass, on the time-skipping server:
 *   npx tsx test/replay/record-time-skipped-history.ts <workflowType> <jsonArgs> <name> <days>
 * Starts the workflow (workflow id = <name>) with the channel stack as the tests assemble it, lets
 * <days> pass, and writes the first run's history (a run that continued as new ends there) to
 * test/replay/histories/<name>.json. Commit the file with the workflow change that made it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveTestServer } from '../../runtime/test-server';
import { startChannelStack } from '../harness/channels';
import { createTimeSkippingEnv } from '../harness/temporal';
import { TEST_ENV } from '../harness/test-env';

async function main(): Promise<void> {
  const [workflowType, rawArgs, name, days] = process.argv.slice(2);
  if (workflowType === undefined || rawArgs === undefined || name === undefined || days === undefined) {
    throw new Error('usage: record-time-skipped-history.ts <workflowType> <jsonArgs> <name> <days>');
  }
  const testServer = await resolveTestServer();
  if (testServer !== undefined) process.env[TEST_ENV.testServerPath] = testServer;
  const scratch = mkdtempSync(path.join(tmpdir(), 'recontact-record-'));
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows') });
  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env[TEST_ENV.bundlePath] = bundlePath;
  const env = await createTimeSkippingEnv();
  try {
    const stack = await startChannelStack(
      { TEMPORAL_NAMESPACE: env.namespace ?? 'default' },
      { client: env.client, nativeConnection: env.nativeConnection, namespace: env.namespace ?? 'default' },
    );
    try {
      const handle = await env.client.workflow.start(workflowType, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: name,
        args: JSON.parse(rawArgs) as unknown[],
      });
      await env.sleep(Number(days) * 86_400_000);
      const first = env.client.workflow.getHandle(name, handle.firstExecutionRunId);
      const { status } = await first.describe();
      if (status.name === 'RUNNING') throw new Error(`the first run is still running after ${days} days`);
      const file = path.join(__dirname, 'histories', `${name}.json`);
      writeFileSync(file, historyToJSON(await first.fetchHistory()));
      console.log(`wrote ${file} (first run ${status.name})`);
      await env.client.workflow
        .getHandle(name)
        .terminate('recorded')
        .catch(() => undefined);
    } finally {
      await stack.stop();
    }
  } finally {
    await env.teardown();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
