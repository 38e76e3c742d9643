import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { searchAttributes } from './search-attributes';

export interface DoctorProbeResult {
  /** Task queue of the worker that ran the probe. */
  taskQueue: string;
  /** Proves the custom search attributes are registered: upserting an unknown one fails the task. */
  searchAttributesUpserted: boolean;
}

/**
 * Run by `recontact doctor`: proves that a worker polls the task queue, can run workflow code
 * and can set every kind of custom search attribute the project uses.
 */
export async function doctorProbe(): Promise<DoctorProbeResult> {
  upsertSearchAttributes([
    { key: searchAttributes.State, value: 'done' },
    { key: searchAttributes.Outcome, value: 'healthy' },
    { key: searchAttributes.Attempts, value: 1 },
    { key: searchAttributes.DueAt, value: new Date(workflowInfo().startTime) },
  ]);
  return { taskQueue: workflowInfo().taskQueue, searchAttributesUpserted: true };
}
