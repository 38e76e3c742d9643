/**
 * Records the history of a run that needs days or years to pass, on the time-skipping server:
 *   npx tsx test/replay/record-time-skipped-history.ts <workflowType> <jsonArgs> <name> <days>
 * Starts the workflow (workflow id = <name>) with the channel stack as the tests assemble it, lets
 * <days> pass, and writes the first run's history (a run that continued as new ends there) to
 * test/replay/histories/<name>.json. Commit the file with the workflow change that made it.
 */
import { startChannelStack } from '../harness/channels';
import { startRecordingEnv, writeHistory } from './recording';

async function main(): Promise<void> {
  const [workflowType, rawArgs, name, days] = process.argv.slice(2);
  if (workflowType === undefined || rawArgs === undefined || name === undefined || days === undefined) {
    throw new Error('usage: record-time-skipped-history.ts <workflowType> <jsonArgs> <name> <days>');
  }
  const recording = await startRecordingEnv();
  const { env } = recording;
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
      writeHistory(name, await first.fetchHistory());
      console.log(`(first run ${status.name})`);
      await env.client.workflow
        .getHandle(name)
        .terminate('recorded')
        .catch(() => undefined);
    } finally {
      await stack.stop();
    }
  } finally {
    await recording.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
