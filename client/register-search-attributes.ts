import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { allSearchAttributes } from '../workflows/search-attributes';

/**
 * Registers every custom search attribute Recontact uses in `namespace`, skipping those already
 * there. The embedded dev server does this at start-up; a self-hosted cluster or the
 * time-skipping test server needs it done once. (Temporal Cloud registers them through its
 * own console or `tcld`.) Returns the names it added.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await listCustomAttributes(connection, namespace);
  const missing = allSearchAttributes.filter((key) => !existing.has(key.name));
  if (missing.length === 0) return [];
  const types: Record<string, number> = {};
  for (const key of missing) {
    const type = encodeSearchAttributeIndexedValueType(key.type);
    if (type === undefined) throw new Error(`search attribute ${key.name}: unknown type ${key.type}`);
    types[key.name] = type;
  }
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: types });
  return missing.map((key) => key.name);
}

const GRPC_UNIMPLEMENTED = 12;

async function listCustomAttributes(connection: Connection, namespace: string): Promise<Set<string>> {
  try {
    const response = await connection.operatorService.listSearchAttributes({ namespace });
    return new Set(Object.keys(response.customAttributes));
  } catch (error) {
    // The time-skipping test server can add search attributes but not list them.
    if ((error as { code?: number }).code === GRPC_UNIMPLEMENTED) return new Set();
    throw error;
  }
}
