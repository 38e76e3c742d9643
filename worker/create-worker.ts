import { setFlagsFromString } from 'node:v8';
import { YOUNG_SEMI_SPACE_MB } from '../runtime/node-flags';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/config';
import { temporalAddress, temporalConnectionOptions } from '../client/connection';
import { createActivities, type ActivityDeps } from '../activities';
import { type ChannelDeps, createChannelActivities } from '../activities/channels';
import { channelTaskQueue } from '../domain/channels';
import { createPacer } from '../activities/channels/pacer';
import { loadContactPolicy } from '../config/contact-policy';
import { contactHistoryFromStore } from '../activities/contacts/contact-history';
import type { Services } from '../runtime/services';
import type { DispatchSettings } from '../activities/callbacks/callback-dispatch';
import { infoAsDebug } from './sdk-logger';
import { bundleWorkflowsInChildProcess } from './workflow-bundle';
import { dataConverterFor, FAILURE_CONVERTER_PATH } from '../codec/data-converter';

/** The callback dispatcher's settings from the configuration (CALLBACK_*). */
export function dispatchSettings(config: Config): DispatchSettings {
  return {
    offerMs: config.CALLBACK_OFFER_SECONDS * 1_000,
    ownerWindowMs: config.CALLBACK_OWNER_HOURS * 3_600_000,
    ownerWaitMs: config.CALLBACK_OWNER_WAIT_SECONDS * 1_000,
  };
}

export interface RecontactWorkerOptions {
  config: Config;
  connection: NativeConnection;
  /** @default the shipped contact rules, no contact history */
  activityDeps?: ActivityDeps;
  /** Twilio, SMTP and the store: without them no channel worker runs in this process. */
  channelDeps?: ChannelDeps;
  /** A prebuilt bundle (tests build one per run); default: bundle `workflows/` at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Overrides the configured task queue (tests isolate by task queue). */
  taskQueue?: string;
}

export async function connectWorkerConnection(config: Config, address = temporalAddress(config)) {
  return NativeConnection.connect(temporalConnectionOptions(config, address));
}

/**
 * The workflow worker for every Recontact workflow and its local activities. Stopping it
 * (SIGINT/SIGTERM or `worker.shutdown()`) lets in-flight activities finish for
 * WORKER_SHUTDOWN_GRACE_SECONDS before cancelling them: the SDK's default of 0 would cut a send
 * in half.
 */
export async function createRecontactWorker(options: RecontactWorkerOptions): Promise<Worker> {
  const { config } = options;
  limitWorkflowThreadHeap(config);
  return Worker.create({
    connection: options.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: options.taskQueue ?? config.TEMPORAL_TASK_QUEUE,
    activities: createActivities(options.activityDeps ?? { policy: loadContactPolicy() }),
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    workflowThreadPoolSize: config.WORKER_WORKFLOW_THREADS,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    // More polls than task slots would only hold tasks the worker cannot start.
    workflowTaskPollerBehavior: {
      type: 'simple-maximum',
      maximum: Math.min(config.WORKER_WORKFLOW_TASK_POLLERS, config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS),
    },
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: config.WORKER_ACTIVITY_TASK_POLLERS },
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    // Payloads and failures encrypted (a prebuilt bundle must be built with FAILURE_CONVERTER_PATH).
    dataConverter: dataConverterFor(config),
  });
}

/**
 * WORKER_WORKFLOW_HEAP_MB, or its default: the bundle and the SDK (~30 MB measured in the idle
 * workflow thread) with room to spare, and 1 MB per cached run — several times what a run holds now
 * that workflows evaluate no zod (~70 KB of modules each; docs/benchmarks.md, pending reminders).
 */
export function workflowHeapMb(config: Config): number {
  return config.WORKER_WORKFLOW_HEAP_MB ?? 64 + config.WORKER_MAX_CACHED_WORKFLOWS;
}

/**
 * The SDK starts its workflow thread without resource limits, so V8 would size that heap from the
 * machine's memory (4 GB here) and collect the garbage of evicted and replayed runs late: RSS grew
 * far past what the cached runs hold. V8 reads this flag when it sets up a new thread's heap, so
 * setting it before `Worker.create` bounds the workflow thread (and any thread started later in this
 * process; the main thread keeps its own limit). The young generation likewise (runtime/node-flags.ts).
 */
function limitWorkflowThreadHeap(config: Config): void {
  const heapMb = workflowHeapMb(config);
  if (heapMb > 0) setFlagsFromString(`--max-old-space-size=${heapMb}`);
  setFlagsFromString(`--max-semi-space-size=${YOUNG_SEMI_SPACE_MB}`);
}

/**
 * Bundles `workflows/` at start-up, in a child process (see `bundleWorkflowsInChildProcess`). The
 * SDK's bundler logs webpack's whole module list at info; here that is debug detail, so `npm start`
 * at the default LOG_LEVEL prints only its summary.
 */
async function bundleWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowsInChildProcess(
    require.resolve('../workflows'),
    infoAsDebug(Runtime.instance().logger),
    FAILURE_CONVERTER_PATH,
  );
}

/**
 * One activity-only worker per channel, each on its own task queue with that provider's pace
 * as a task-queue rate limit. The server enforces the limit across every worker process
 * polling the queue, so adding workers never sends faster than the provider allows.
 */
export async function createChannelWorkers(
  options: RecontactWorkerOptions & { channelDeps: ChannelDeps },
): Promise<Worker[]> {
  const { config } = options;
  const base = options.taskQueue ?? config.TEMPORAL_TASK_QUEUE;
  const perSecond = {
    sms: config.PACING_SMS_PER_SECOND,
    voice: config.PACING_VOICE_PER_SECOND,
    email: config.PACING_EMAIL_PER_SECOND,
  };
  const activities = createChannelActivities({
    ...options.channelDeps,
    pacing: {
      sms: createPacer(perSecond.sms),
      voice: createPacer(perSecond.voice),
      email: createPacer(perSecond.email),
    },
  });
  return Promise.all(
    (['sms', 'voice', 'email'] as const).map((channel) => {
      const rate = perSecond[channel];
      // Few enough in flight that a paced activity waits at most ~2 s for its slot.
      const slots = Math.max(2, Math.ceil(rate * 2));
      return Worker.create({
        connection: options.connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: channelTaskQueue(base, channel),
        activities: activities[channel],
        maxTaskQueueActivitiesPerSecond: rate,
        maxConcurrentActivityTaskExecutions: slots,
        // More polls than slots would only wait for a slot.
        activityTaskPollerBehavior: {
          type: 'simple-maximum',
          maximum: Math.min(slots, config.WORKER_ACTIVITY_TASK_POLLERS),
        },
        shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`,
        dataConverter: dataConverterFor(config),
      });
    }),
  );
}

/**
 * Every worker one process runs for a deployment: the workflow worker with the contact policy
 * fed from the contact store, and the paced channel workers.
 */
export async function createAllWorkers(
  options: Omit<RecontactWorkerOptions, 'activityDeps' | 'channelDeps'> & { services: Services },
): Promise<Worker[]> {
  const { services } = options;
  return [
    await createRecontactWorker({
      ...options,
      activityDeps: {
        policy: services.policy,
        history: contactHistoryFromStore(services.store, services.customerKeySecret),
        callbackRules: services.callbackRules,
        store: services.store,
        dispatch: dispatchSettings(options.config),
        metrics: services.metrics,
        averageCallbackMinutes: options.config.CALLBACK_AVERAGE_MINUTES,
        links: { secret: services.customerKeySecret, publicUrl: services.publicUrl },
      },
    }),
    ...(await createChannelWorkers({ ...options, channelDeps: services.channelDeps })),
  ];
}
