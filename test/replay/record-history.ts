/**
 * Records the history of a real run for the replay tests:
 *   npx tsx test/replay/record-history.ts <workflowType> [jsonArgs] [name]
 * e.g. `npx tsx test/replay/record-history.ts doctorProbe '[]' doctor-probe`.
 * Runs the product's workflows on a throwaway dev server (the provisioned CLI) and writes
 * test/replay/histories/<name>.json. Commit the file with the workflow change that made it.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { devServerExtraArgs } from '../../runtime/dev-server';
import { allSearchAttributes } from '../../workflows/search-attributes';
import { createActivities } from '../../activities';
import { loadContactPolicy } from '../../config/contact-policy';

async function main(): Promise<void> {
  const [workflowType, rawArgs = '[]', name = workflowType] = process.argv.slice(2);
  if (workflowType === undefined)
    throw new Error('usage: record-history.ts <workflowType> [jsonArgs] [name]');
  const cli = await resolveTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      searchAttributes: allSearchAttributes,
      extraArgs: devServerExtraArgs(),
    },
  });
  try {
    const taskQueue = `record-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ policy: loadContactPolicy() }),
    });
    const workflowId = `${name}-${randomUUID()}`;
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(workflowType, {
        taskQueue,
        workflowId,
        args: JSON.parse(rawArgs) as unknown[],
      });
      await handle.result();
    });
    // The CLI writes the standard JSON history format that every Temporal SDK replays.
    const json = execFileSync(cli?.path ?? 'temporal', [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
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
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
