import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/config';
import { temporalAddress, temporalConnectionOptions } from '../client/connection';
import { createActivities, type ActivityDeps } from '../activities';

export interface RecontactWorkerOptions {
  config: Config;
  connection: NativeConnection;
  activityDeps?: ActivityDeps;
  /** A prebuilt bundle (tests build one per run); default: bundle `workflows/` at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Overrides the configured task queue (tests isolate by task queue). */
  taskQueue?: string;
}

export async function connectWorkerConnection(config: Config, address = temporalAddress(config)) {
  return NativeConnection.connect(temporalConnectionOptions(config, address));
}

/**
 * A worker for every Recontact workflow and activity. Stopping it (SIGINT/SIGTERM or
 * `worker.shutdown()`) lets in-flight activities finish for WORKER_SHUTDOWN_GRACE_SECONDS
 * before cancelling them: the SDK's default of 0 would cut a send in half.
 */
export async function createRecontactWorker(options: RecontactWorkerOptions): Promise<Worker> {
  const { config } = options;
  return Worker.create({
    connection: options.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: options.taskQueue ?? config.TEMPORAL_TASK_QUEUE,
    activities: createActivities(options.activityDeps),
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
  });
}
