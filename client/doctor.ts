import { randomUUID } from 'node:crypto';
import { type Client, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { doctorProbe } from '../workflows/doctor-probe';
import { allSearchAttributes, searchAttributes } from '../workflows/search-attributes';

export const doctorCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  /** What to do about it, when not ok. */
  fix: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;

export const doctorOptionsSchema = z.object({
  /** Seconds to wait for a worker to run the probe workflow. @default 10 */
  probeTimeoutSeconds: z.number().int().min(1).max(120).default(10),
});
export type DoctorOptions = z.input<typeof doctorOptionsSchema>;

/**
 * Checks, in order, everything a Recontact deployment needs from Temporal and says how to fix
 * what is wrong. Later checks are skipped when an earlier one makes them meaningless.
 */
export async function runDoctor(
  client: Client,
  taskQueue: string,
  options: DoctorOptions = {},
): Promise<DoctorCheck[]> {
  const { probeTimeoutSeconds } = doctorOptionsSchema.parse(options);
  const namespace = client.options.namespace;
  const checks: DoctorCheck[] = [];
  const { workflowService, operatorService } = client.connection;

  try {
    const info = await workflowService.getSystemInfo({});
    checks.push({
      name: 'temporal',
      ok: true,
      detail: `reachable (server ${info.serverVersion || 'unknown'})`,
    });
  } catch (error) {
    checks.push({
      name: 'temporal',
      ok: false,
      detail: `cannot reach Temporal: ${message(error)}`,
      fix: 'start it with `npm start`, or set TEMPORAL_ADDRESS (and TLS / API key) to a running server',
    });
    return checks;
  }

  try {
    await workflowService.describeNamespace({ namespace });
    checks.push({ name: 'namespace', ok: true, detail: `namespace "${namespace}" exists` });
  } catch (error) {
    checks.push({
      name: 'namespace',
      ok: false,
      detail: `namespace "${namespace}" is missing: ${message(error)}`,
      fix: `create it with its search attributes: recontact setup-namespace (or temporal operator namespace create --namespace ${namespace}), or set TEMPORAL_NAMESPACE`,
    });
    return checks;
  }

  const registered = await operatorService.listSearchAttributes({ namespace });
  const missing = allSearchAttributes.filter((key) => registered.customAttributes[key.name] === undefined);
  checks.push(
    missing.length === 0
      ? { name: 'search-attributes', ok: true, detail: `all ${allSearchAttributes.length} registered` }
      : {
          name: 'search-attributes',
          ok: false,
          detail: `missing: ${missing.map((key) => key.name).join(', ')}`,
          fix: `register them: recontact setup-namespace, or ${missing
            .map(
              (key) =>
                `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${key.type}`,
            )
            .join(' && ')}`,
        },
  );

  const pollers = await workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const pollerCount = pollers.pollers?.length ?? 0;
  if (pollerCount === 0) {
    checks.push({
      name: 'worker',
      ok: false,
      detail: `no worker has polled task queue "${taskQueue}" recently`,
      fix: 'start one with `npm start` or `recontact worker` (same TEMPORAL_* settings)',
    });
    return checks;
  }
  checks.push({ name: 'worker', ok: true, detail: `${pollerCount} worker(s) polling "${taskQueue}"` });

  const started = Date.now();
  try {
    const result = await client.workflow.execute(doctorProbe, {
      taskQueue,
      workflowId: `doctor-probe-${randomUUID()}`,
      workflowExecutionTimeout: `${probeTimeoutSeconds}s`,
      typedSearchAttributes: [{ key: searchAttributes.Kind, value: 'probe' }],
    });
    checks.push({
      name: 'probe-workflow',
      ok: result.searchAttributesUpserted,
      detail: `a worker ran the probe workflow in ${Date.now() - started} ms`,
    });
  } catch (error) {
    checks.push({
      name: 'probe-workflow',
      ok: false,
      detail: `the probe workflow did not complete: ${message(error instanceof WorkflowFailedError ? (error.cause ?? error) : error)}`,
      fix: 'read the worker log; a workflow task failure there names the cause (often an unregistered search attribute)',
    });
  }
  return checks;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
