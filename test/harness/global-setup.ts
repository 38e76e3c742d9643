import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { writeFile } from 'node:fs/promises';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { resolveTestServer } from '../../runtime/test-server';
import { devServerExtraArgs } from '../../runtime/dev-server';
import { cacheDir } from '../../runtime/project-paths';
import { allSearchAttributes } from '../../workflows/search-attributes';
import { FAILURE_CONVERTER_PATH } from '../../codec/data-converter';
import { asciiOnly, compactBundleOptions } from '../../worker/compact-bundle';
import { startTestPostgres, type TestPostgres } from './postgres';
import { TEST_ENV, TEST_NAMESPACE } from './test-env';

/**
 * One real Temporal dev server for the whole run (tests isolate by task queue and workflow
 * id), the time-skipping server provisioned for the files that need it, and one workflow
 * bundle built for every test worker.
 */
export default async function globalSetup(): Promise<void> {
  // The contact store's PostgreSQL cluster starts while Temporal is being prepared.
  const postgres = startTestPostgres();

  const cli = await resolveTemporalCli();
  const testServer = await resolveTestServer();
  if (testServer !== undefined) process.env[TEST_ENV.testServerPath] = testServer;
  if (cli !== undefined) process.env[TEST_ENV.cliPath] = cli.path;

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      namespace: TEST_NAMESPACE,
      searchAttributes: allSearchAttributes,
      extraArgs: devServerExtraArgs(),
    },
  });
  (globalThis as { __recontactTemporal?: TestWorkflowEnvironment }).__recontactTemporal = env;
  process.env[TEST_ENV.address] = env.address;

  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    // The workflows' own failures are encoded like the worker's (codec/failure-converter.ts).
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
    // As the worker builds it (worker/compact-bundle.ts), so every test runs that code.
    ...compactBundleOptions,
  });
  const bundleDir = path.join(cacheDir(), 'test');
  mkdirSync(bundleDir, { recursive: true });
  const bundlePath = path.join(bundleDir, `workflow-bundle-${process.pid}.js`);
  await writeFile(bundlePath, asciiOnly(bundle.code));
  process.env[TEST_ENV.bundlePath] = bundlePath;

  const started = await postgres;
  if (started.kind === 'started') {
    (globalThis as { __recontactPostgres?: TestPostgres }).__recontactPostgres = started.server;
    process.env[TEST_ENV.postgresUrl] = started.server.url;
  } else {
    process.env[started.kind === 'absent' ? TEST_ENV.postgresAbsent : TEST_ENV.postgresFailed] =
      started.reason;
  }
}
