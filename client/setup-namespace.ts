import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { registerSearchAttributes } from './register-search-attributes';

export interface SetupNamespaceOptions {
  /** How long closed runs stay readable in the namespace. */
  retentionDays: number;
  /** How long to keep trying while the cluster is starting or the new namespace is not yet visible. */
  timeoutMs: number;
  /** Told of each step, for the CLI's progress lines. */
  onStep?: (line: string) => void;
}

export interface SetupNamespaceResult {
  created: boolean;
  searchAttributesAdded: string[];
}

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const DAY_MS = 86_400_000;

/**
 * Makes a self-hosted Temporal cluster ready for Recontact: the namespace (created when missing)
 * and every custom search attribute. Safe to run again and from several processes at once. The
 * embedded dev server does both at start-up; Temporal Cloud creates namespaces in its console.
 *
 * A namespace is not visible for a moment after it is created, and a cluster that has just
 * started may refuse calls: both are retried until `timeoutMs`.
 */
export async function setupNamespace(
  connection: Connection,
  namespace: string,
  options: SetupNamespaceOptions,
): Promise<SetupNamespaceResult> {
  const deadline = Date.now() + options.timeoutMs;
  const created = await retryUntil(deadline, () => createIfMissing(connection, namespace, options));
  options.onStep?.(created ? `namespace ${namespace}: created` : `namespace ${namespace}: already there`);
  const searchAttributesAdded = await retryUntil(deadline, () =>
    registerSearchAttributes(connection, namespace),
  );
  options.onStep?.(
    searchAttributesAdded.length === 0
      ? 'search attributes: all registered already'
      : `search attributes: added ${searchAttributesAdded.join(', ')}`,
  );
  return { created, searchAttributesAdded };
}

async function createIfMissing(
  connection: Connection,
  namespace: string,
  options: SetupNamespaceOptions,
): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (error) {
    if (grpcCode(error) !== GRPC_NOT_FOUND) throw error;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      description: 'Recontact: callbacks, reminders, survey rescue and courtesy messages',
      workflowExecutionRetentionPeriod: msToTs(options.retentionDays * DAY_MS),
    });
    return true;
  } catch (error) {
    // Another process created it first.
    if (grpcCode(error) === GRPC_ALREADY_EXISTS) return false;
    throw error;
  }
}

async function retryUntil<T>(deadline: number, attempt: () => Promise<T>): Promise<T> {
  for (let delayMs = 200; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function grpcCode(error: unknown): number | undefined {
  return (error as { code?: number } | undefined)?.code;
}
