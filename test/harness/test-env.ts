/** Environment variables through which the global setup tells test files where things are. */
export const TEST_ENV = {
  address: 'RECONTACT_TEST_TEMPORAL_ADDRESS',
  bundlePath: 'RECONTACT_TEST_WORKFLOW_BUNDLE',
  testServerPath: 'TEMPORAL_TEST_SERVER_PATH',
  cliPath: 'RECONTACT_TEST_TEMPORAL_CLI',
  /** Superuser URL of the throwaway PostgreSQL cluster (test/harness/postgres.ts); unset when there is none. */
  postgresUrl: 'RECONTACT_TEST_POSTGRES_URL',
  /** Why there is no cluster: PostgreSQL is not installed (tests skip) … */
  postgresAbsent: 'RECONTACT_TEST_POSTGRES_ABSENT',
  /** … or it is installed but did not start (tests fail with this reason). */
  postgresFailed: 'RECONTACT_TEST_POSTGRES_FAILED',
} as const;

export const TEST_NAMESPACE = 'recontact-test';

export function requiredTestEnv(name: (typeof TEST_ENV)[keyof typeof TEST_ENV]): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run integration tests through jest so the global setup runs`);
  }
  return value;
}
