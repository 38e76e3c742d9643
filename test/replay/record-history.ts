/**
 * Records the history of a real run for the replay tests:
 *   npx tsx test/replay/record-history.ts <workflowType> [jsonArgs] [name]
 * e.g. `npx tsx test/replay/record-history.ts doctorProbe '[]' doctor-probe`.
 * Runs the product's workflows on a throwaway dev server (the provisioned CLI) with the whole
 * channel side as the tests assemble it — Twilio sandbox, SMTP sink, contact store, webhooks,
 * paced channel workers, US contact allowed around the clock — and writes
 * test/replay/histories/<name>.json. Commit the file with the workflow change that made it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { devServerExtraArgs } from '../../runtime/dev-server';
import { allSearchAttributes } from '../../workflows/search-attributes';
import { startChannelStack } from '../harness/channels';
import { TEST_ENV, TEST_NAMESPACE } from '../harness/test-env';

async function main(): Promise<void> {
  const [workflowType, rawArgs = '[]', given] = process.argv.slice(2);
  if (workflowType === undefined) {
    throw new Error('usage: record-history.ts <workflowType> [jsonArgs] [name]');
  }
  const name = given ?? workflowType;
  const cli = await resolveTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      namespace: TEST_NAMESPACE,
      searchAttributes: allSearchAttributes,
      extraArgs: devServerExtraArgs(),
    },
  });
  const scratch = mkdtempSync(path.join(tmpdir(), 'recontact-record-'));
  try {
    // The channel stack reads where things are from the variables the test setup would set.
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows') });
    const bundlePath = path.join(scratch, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.code);
    process.env[TEST_ENV.address] = env.address;
    process.env[TEST_ENV.bundlePath] = bundlePath;
    const stack = await startChannelStack();
    // The file name is the workflow id: replay passes it back, and workflow code may read it.
    const workflowId = name;
    try {
      await stack.temporal.workflow.execute(workflowType, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: JSON.parse(rawArgs) as unknown[],
      });
    } finally {
      await stack.stop();
    }
    // The CLI writes the standard JSON history format that every Temporal SDK replays.
    const json = execFileSync(cli?.path ?? 'temporal', [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--namespace',
      TEST_NAMESPACE,
      '--address',
      env.address,
      '--output',
      'json',
    ]);
    const file = path.join(__dirname, 'histories', `${name}.json`);
    writeFileSync(file, json);
    console.log(`wrote ${file}`);
  } finally {
    await env.teardown();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
