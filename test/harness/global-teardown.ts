import { rmSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestPostgres } from './postgres';
import { TEST_ENV } from './test-env';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __recontactTemporal?: TestWorkflowEnvironment }).__recontactTemporal?.teardown();
  const bundlePath = process.env[TEST_ENV.bundlePath];
  if (bundlePath !== undefined) rmSync(bundlePath, { force: true });
  await (globalThis as { __recontactPostgres?: TestPostgres }).__recontactPostgres?.stop();
}
