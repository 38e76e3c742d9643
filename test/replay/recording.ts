import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveTestServer } from '../../runtime/test-server';
import { createTimeSkippingEnv } from '../harness/temporal';
import { TEST_ENV } from '../harness/test-env';

/**
 * A time-skipping server for a recorder script, prepared as the tests' global setup prepares one:
 * the test server provisioned, the product's workflows bundled for the harness's workers.
 */
export async function startRecordingEnv(): Promise<{ env: TestWorkflowEnvironment; stop(): Promise<void> }> {
  const testServer = await resolveTestServer();
  if (testServer !== undefined) process.env[TEST_ENV.testServerPath] = testServer;
  const scratch = mkdtempSync(path.join(tmpdir(), 'recontact-record-'));
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows') });
  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env[TEST_ENV.bundlePath] = bundlePath;
  const env = await createTimeSkippingEnv();
  return {
    env,
    async stop() {
      await env.teardown();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Writes test/replay/histories/<name>.json; the name is the workflow id replay passes back. */
export function writeHistory(name: string, history: History): string {
  const file = path.join(__dirname, 'histories', `${name}.json`);
  writeFileSync(file, historyToJSON(history));
  console.log(`wrote ${file}`);
  return file;
}
