import { ConfigError, loadConfig } from '../../../config/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('starts on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: undefined,
      TEMPORAL_NAMESPACE: 'recontact',
      DEV_SERVER_PORT: 7233,
      DEV_SERVER_UI_PORT: 8233,
      API_PORT: 3000,
      WORKER_SHUTDOWN_GRACE_SECONDS: 30,
    });
  });

  it("keeps the SDK's worker threads and pollers unless told otherwise, and names a bad count", () => {
    const config = loadConfig({});
    expect([
      config.WORKER_WORKFLOW_THREADS,
      config.WORKER_WORKFLOW_TASK_POLLERS,
      config.WORKER_ACTIVITY_TASK_POLLERS,
      config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    ]).toEqual([1, 10, 10, 10]);
    expect(loadConfig({ WORKER_WORKFLOW_THREADS: '2' }).WORKER_WORKFLOW_THREADS).toBe(2);
    const problems = problemsOf({
      WORKER_WORKFLOW_THREADS: '0',
      WORKER_WORKFLOW_TASK_POLLERS: '1',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1',
    });
    expect(problems.map((problem) => problem.split('=')[0])).toEqual([
      'WORKER_WORKFLOW_THREADS',
      'WORKER_WORKFLOW_TASK_POLLERS',
      'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
    ]);
  });

  it('names the variable and the rule for a bad Temporal address', () => {
    const problems = problemsOf({ TEMPORAL_ADDRESS: 'not-a-host:99999' });
    expect(problems).toEqual([
      expect.stringMatching(/^TEMPORAL_ADDRESS="not-a-host:99999": port must be between/),
    ]);
    expect(problemsOf({ TEMPORAL_ADDRESS: 'http://temporal:7233' })[0]).toMatch(
      /^TEMPORAL_ADDRESS=.*expected host:port/,
    );
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      API_PORT: 'eighty',
      LOG_LEVEL: 'loud',
      WORKER_SHUTDOWN_GRACE_SECONDS: '-1',
    });
    expect(problems.map((problem) => problem.split('=')[0])).toEqual([
      'API_PORT',
      'WORKER_SHUTDOWN_GRACE_SECONDS',
      'LOG_LEVEL',
    ]);
  });

  it('requires a client certificate and its key together', () => {
    expect(problemsOf({ TEMPORAL_TLS_CERT_PATH: '/etc/cert.pem' })).toEqual([
      expect.stringContaining('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH'),
    ]);
  });

  it('reads API tokens as a comma-separated list and treats empty values as unset', () => {
    expect(loadConfig({ API_TOKENS: 'a, b,,c', TEMPORAL_ADDRESS: '' }).API_TOKENS).toEqual(['a', 'b', 'c']);
  });
});
