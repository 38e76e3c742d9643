import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../../config/config';
import { createRecontactWorker } from '../../worker/create-worker';
import { registerSearchAttributes } from '../../client/register-search-attributes';
import { freeLoopbackPort } from '../../runtime/free-port';
import { requiredTestEnv, TEST_ENV, TEST_NAMESPACE } from './test-env';
import { SHIPPED_POLICY_ENV } from './policy-files';
import { TEST_PAYLOAD_KEYS, testDataConverter } from './payload-keys';

// Workers in tests log only what is wrong.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this test file's process.
}

/** The configuration tests run with: the shared dev server's namespace, a unique task queue. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    TEMPORAL_NAMESPACE: TEST_NAMESPACE,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    WORKER_SHUTDOWN_GRACE_SECONDS: '5',
    // In the closed-rules check, a test that names no rules gets the closed ones, not the shipped ones.
    CONTACT_POLICY_FILE: process.env[SHIPPED_POLICY_ENV],
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    ...overrides,
  });
}

export function sharedServerAddress(): string {
  return requiredTestEnv(TEST_ENV.address);
}

export async function connectTestClient(address = sharedServerAddress(), namespace = TEST_NAMESPACE) {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, dataConverter: testDataConverter() });
}

/** A Recontact worker on the shared dev server using the prebuilt test bundle. */
export async function createTestWorker(config: Config, address = sharedServerAddress()): Promise<Worker> {
  const connection = await NativeConnection.connect({ address });
  const worker = await createRecontactWorker({
    config,
    connection,
    workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
  });
  return worker;
}

/** A fresh time-skipping server (the JVM test server provisioned from Maven Central). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env[TEST_ENV.testServerPath];
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
    // env.client encrypts like every Recontact client; workers get the same keys from testConfig.
    client: { dataConverter: testDataConverter() },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/**
 * Skips a fresh time-skipping server to 10 January of its next year, 12:00 UTC: tests that then skip
 * to "the next 23:30 in New York" by the current offset never cross a DST change, whatever day the
 * suite runs.
 */
export async function skipToWinter(env: TestWorkflowEnvironment): Promise<void> {
  const now = await env.currentTimeMs();
  const target = Date.UTC(new Date(now).getUTCFullYear() + 1, 0, 10, 12, 0, 0);
  await env.sleep(target - now);
}

/** A free loopback port (runtime/free-port.ts). */
export const freePort = freeLoopbackPort;

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${String(lastError ?? '')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
