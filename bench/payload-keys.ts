import { randomBytes } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import { dataConverterFromKeys } from '../codec/data-converter';
import { parsePayloadKeys } from '../config/payload-keys';

/**
 * One payload key per benchmark run, shared by the bench's client and workers and every suite's
 * configuration (PAYLOAD_KEYS): product workflows are measured with their payloads encrypted, as
 * deployed.
 */
export const BENCH_PAYLOAD_KEYS = `bench:${randomBytes(32).toString('base64')}`;

export function benchDataConverter(): DataConverter {
  return dataConverterFromKeys(parsePayloadKeys(BENCH_PAYLOAD_KEYS));
}
