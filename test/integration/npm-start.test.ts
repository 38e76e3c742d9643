import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../runtime/project-paths';
import { eventually, freePort } from '../harness/temporal';
import { requiredTestEnv, TEST_ENV } from '../harness/test-env';

const cliEntry = path.join(projectRoot(), 'cli', 'main.ts');
const tsx = path.join(projectRoot(), 'node_modules', '.bin', 'tsx');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; finished: Promise<Finished> } {
  const child = spawn(tsx, [cliEntry, ...args], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, finished };
}

describe('recontact start (npm start)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings up Temporal with its Web UI, the worker and the API, and stops gracefully on Ctrl-C', async () => {
    const env = {
      TEMPORAL_CLI_PATH: requiredTestEnv(TEST_ENV.cliPath),
      DEV_SERVER_PORT: String(await freePort()),
      DEV_SERVER_UI_PORT: String(await freePort()),
      API_PORT: String(await freePort()),
      SANDBOX_PORT: String(await freePort()),
      SANDBOX_SMTP_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    const api = `http://127.0.0.1:${env.API_PORT}`;
    const { child, finished } = runCli(['start'], env);
    try {
      await eventually(
        async () => ((await fetch(`${api}/healthz`)).status === 200 ? true : undefined),
        60_000,
      );

      const token = readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
      const runs = await fetch(`${api}/v1/runs`, { headers: { authorization: `Bearer ${token}` } });
      expect(runs.status).toBe(200);
      expect((await fetch(`${api}/v1/runs`)).status).toBe(401);

      // The Web UI is served by the CLI built from Go modules, assets included.
      const ui = `http://127.0.0.1:${env.DEV_SERVER_UI_PORT}`;
      const page = await fetch(`${ui}/namespaces/recontact/workflows`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const asset = /href="(\/_app\/immutable\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toBeDefined();
      const script = await fetch(`${ui}${asset}`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);

      const doctor = await runCli(['doctor', '--json'], {
        ...env,
        TEMPORAL_ADDRESS: `127.0.0.1:${env.DEV_SERVER_PORT}`,
      }).finished;
      expect(doctor.code).toBe(0);
      expect(JSON.parse(doctor.stdout).ok).toBe(true);
    } finally {
      child.kill('SIGINT');
    }
    const result = await finished;
    expect(result.stdout).toContain('Recontact is ready');
    expect(result.code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${env.DEV_SERVER_PORT}`)).rejects.toThrow();
  }, 120_000);

  it('refuses to start with a bad address, naming the variable, and starts nothing', async () => {
    const result = await runCli(['start'], { TEMPORAL_ADDRESS: 'not-a-host:99999', DATA_DIR: dataDir })
      .finished;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TEMPORAL_ADDRESS="not-a-host:99999"');
    expect(result.stdout).not.toContain('Temporal');
  });

  it('fails doctor with exit code 1 and a fix when Temporal is not there', async () => {
    const port = await freePort();
    const result = await runCli(['doctor'], { TEMPORAL_ADDRESS: `127.0.0.1:${port}` }).finished;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL temporal/);
    expect(result.stdout).toContain('fix:');
  }, 30_000);
});
