import type { LogEntry } from '@temporalio/worker';

/**
 * One SDK log entry as a JSON line: `time`, `level`, `msg`, then the entry's fields — the SDK's
 * workflow and activity loggers attach `namespace`, `taskQueue`, `workflowId`, `runId`,
 * `workflowType` (and `activityId`, `activityType`, `attempt`), so an operator can search a run's
 * id and open it in the Temporal UI. The field names follow the API's request log (pino). An
 * activity's task token is left out: long, and a credential of sorts (it completes the activity).
 */
export function jsonLogLine(entry: LogEntry): string {
  const meta = { ...entry.meta };
  delete meta.taskToken;
  // Activities name the run `workflowRunId`, workflows `runId`: one name, so one search finds both.
  const runId = meta.runId ?? meta.workflowRunId;
  const line = {
    time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level.toLowerCase(),
    msg: entry.message,
    ...meta,
    ...(runId !== undefined ? { runId } : {}),
  };
  return `${JSON.stringify(line, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`;
}
