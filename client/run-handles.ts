import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { QueryDefinition, Workflow } from '@temporalio/common';

/** What a start answers. */
export interface StartResult {
  workflowId: string;
  /** False when a run with this id already exists or existed (a repeated booking, a resumed import). */
  started: boolean;
}

/**
 * Starts a run once per id, even after an earlier one ended (REJECT_DUPLICATE): a re-sent booking,
 * purchase or survey answer must not reach anyone twice.
 */
export async function startOnce<T extends Workflow>(
  temporal: Client,
  workflow: T,
  options: WorkflowStartOptions<T>,
): Promise<StartResult> {
  try {
    await temporal.workflow.start(workflow, {
      ...options,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    } as WorkflowStartOptions<T>);
    return { workflowId: options.workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      return { workflowId: options.workflowId, started: false };
    }
    throw error;
  }
}

/** A run's answer to a query; undefined when there is no such run. */
export async function queryIfExists<T>(
  temporal: Client,
  workflowId: string,
  query: QueryDefinition<T>,
): Promise<T | undefined> {
  try {
    return await temporal.workflow.getHandle(workflowId).query(query);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Signals a run that is still running; false when it has ended or never was. */
export async function signalIfRunning(
  temporal: Client,
  workflowId: string,
  send: (handle: WorkflowHandle) => Promise<void>,
): Promise<boolean> {
  const handle = temporal.workflow.getHandle(workflowId);
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return false;
    await send(handle);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
