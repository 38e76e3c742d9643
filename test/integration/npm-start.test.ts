import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devServerPidFile, isAlive } from '../../runtime/dev-server-guard';
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

/** The block the README shows under "`npm start` prints where everything is:". */
function readmeStartSummary(): string {
  const readme = readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
  const block = /`npm start` prints where everything is:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md: no `npm start` summary block');
  return block;
}

/** Each line's label ("Temporal CLI:"), or the whole line when it has none, up to the ready line. */
function summaryLabels(text: string): string[] {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
  const ready = lines.findIndex((line) => line.startsWith('Recontact is ready'));
  return lines.slice(0, ready + 1).map((line) => /^([A-Za-z ]+:) {2,}/.exec(line)?.[1] ?? line);
}

describe('recontact start (npm start)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings up Temporal with its Web UI, the worker and the API, prints the README summary, and stops gracefully on Ctrl-C', async () => {
    // LOG_LEVEL unset: the default a newcomer sees.
    const env = {
      TEMPORAL_CLI_PATH: requiredTestEnv(TEST_ENV.cliPath),
      DEV_SERVER_PORT: String(await freePort()),
      DEV_SERVER_UI_PORT: String(await freePort()),
      API_PORT: String(await freePort()),
      SANDBOX_PORT: String(await freePort()),
      SANDBOX_SMTP_PORT: String(await freePort()),
      DATA_DIR: dataDir,
    };
    const api = `http://127.0.0.1:${env.API_PORT}`;
    const { child, finished } = runCli(['start'], env);
    try {
      await eventually(
        async () => ((await fetch(`${api}/healthz`)).status === 200 ? true : undefined),
        // A first start bundles the workflows; CI's second pass runs it beside other files.
        120_000,
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
    expect(result.code).toBe(0);
    // The summary the README shows, line by line (the API's own JSON log lines aside), and no
    // bundler module list or SDK worker chatter anywhere.
    expect(summaryLabels(result.stdout)).toEqual(summaryLabels(readmeStartSummary()));
    const output = result.stdout + result.stderr;
    for (const noise of ['webpack', 'modules by path', 'Workflow bundle created', 'Worker state changed'])
      expect(output).not.toContain(noise);
    await expect(fetch(`http://127.0.0.1:${env.DEV_SERVER_PORT}`)).rejects.toThrow();
  }, 180_000);

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

interface StartedNpm {
  /** Signals the whole group, as the terminal does. */
  signal(signal: NodeJS.Signals): void;
  finished: Promise<void>;
  output(): string;
  /** True while any process of the group (npm, sh, node) is still there. */
  groupAlive(): boolean;
}
const startedGroups: StartedNpm[] = [];

/** `npm start` as a terminal runs it: its own process group, which Ctrl-C signals as a whole. */
function npmStart(env: Record<string, string>): StartedNpm {
  const child = spawn('npm', ['start'], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // npm waits for the script, then ends itself by the same signal: only the output tells how it stopped.
  const finished = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const group = child.pid ?? 0;
  const groupAlive = (): boolean => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const started: StartedNpm = {
    signal: (signal) => process.kill(-group, signal),
    finished,
    output: () => output,
    groupAlive,
  };
  startedGroups.push(started);
  return started;
}

/** Every `temporal server start-dev` running on this SQLite file, found in /proc, not from our pid file. */
function devServersOn(dbFile: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return (
          argv[1] === 'server' &&
          argv[2] === 'start-dev' &&
          argv[argv.indexOf('--db-filename') + 1] === dbFile
        );
      } catch {
        return false;
      }
    })
    .filter(isAlive);
}

async function startEnv(dataDir: string) {
  return {
    TEMPORAL_CLI_PATH: requiredTestEnv(TEST_ENV.cliPath),
    DEV_SERVER_PORT: String(await freePort()),
    DEV_SERVER_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    SANDBOX_PORT: String(await freePort()),
    SANDBOX_SMTP_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
}

/** Waits for the API's health check; a start that never gets there fails with what it printed. */
async function healthy(env: { API_PORT: string }, started: StartedNpm): Promise<void> {
  try {
    await eventually(
      async () =>
        (await fetch(`http://127.0.0.1:${env.API_PORT}/healthz`)).status === 200 ? true : undefined,
      60_000,
    );
  } catch (error) {
    throw new Error(`${String(error)}\nnpm start printed:\n${started.output()}`);
  }
}

function listening(port: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('stopping npm start never leaves the dev server behind', () => {
  let dataDir: string;
  let dbFile: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-stop-'));
    dbFile = path.join(dataDir, 'temporal.sqlite');
  });
  // Whatever a failed test left running goes, so a red run does not hold ports and cores.
  afterEach(() => {
    for (const started of startedGroups.splice(0)) if (started.groupAlive()) started.signal('SIGKILL');
    for (const pid of devServersOn(dbFile)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a killed npm start: its dev server stops itself, and the next start runs', async () => {
    const env = await startEnv(dataDir);
    const killed = npmStart(env);
    await healthy(env, killed);
    const [server] = devServersOn(dbFile);
    expect(server).toBeDefined();

    killed.signal('SIGKILL');
    await killed.finished;
    // The watchdog stops it (SIGTERM, SIGKILL after 10 s) and removes the pid file as it goes.
    await eventually(
      async () =>
        devServersOn(dbFile).length === 0 &&
        !existsSync(devServerPidFile(dbFile)) &&
        !(await listening(env.DEV_SERVER_PORT))
          ? true
          : undefined,
      30_000,
    );

    const next = npmStart(env);
    await healthy(env, next);
    next.signal('SIGINT');
    await next.finished;
    expect(next.output()).toContain('Recontact stopped.');
    expect(next.groupAlive()).toBe(false);
    expect(devServersOn(dbFile)).toEqual([]);
  }, 150_000);

  it('a second Ctrl-C stops everything at once, the dev server included, even when it does not answer', async () => {
    const env = await startEnv(dataDir);
    const start = npmStart(env);
    await healthy(env, start);
    const [server] = devServersOn(dbFile);
    // A frozen dev server: the graceful stop cannot finish (it would wait 10 s for it to exit).
    process.kill(server ?? 0, 'SIGSTOP');

    start.signal('SIGINT');
    await eventually(async () =>
      start.output().includes('Ctrl-C again stops everything at once') ? true : undefined,
    );
    start.signal('SIGINT');
    await start.finished;

    expect(start.output()).toContain('SIGINT again: stopping everything now');
    expect(start.output()).not.toContain('Recontact stopped.');
    await eventually(
      async () => (devServersOn(dbFile).length === 0 && !start.groupAlive() ? true : undefined),
      30_000,
    );
    expect(await listening(env.DEV_SERVER_PORT)).toBe(false);
  }, 120_000);

  it('stops a dev server that a start killed together with its watchdog left behind, saying so; refuses one whose owner runs', async () => {
    const env = await startEnv(dataDir);
    // What such a start leaves: the dev server on DATA_DIR's file and ports, and the pid file.
    const leftover = spawn(
      requiredTestEnv(TEST_ENV.cliPath),
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        env.DEV_SERVER_PORT,
        '--ui-port',
        env.DEV_SERVER_UI_PORT,
        '--db-filename',
        dbFile,
        '--namespace',
        'recontact',
        '--log-level',
        'error',
      ],
      { stdio: 'ignore', detached: true },
    );
    const leftoverPid = leftover.pid ?? 0;
    await eventually(async () => ((await listening(env.DEV_SERVER_PORT)) ? true : undefined), 30_000);

    // Its owner still runs (this test process): not ours to stop.
    writeFileSync(devServerPidFile(dbFile), `${leftoverPid}\n${process.pid}\n`);
    const refused = npmStart(env);
    await eventually(async () => (refused.output().includes('still running') ? true : undefined), 60_000);
    await refused.finished;
    expect(refused.output()).toContain(`started by another process (pid ${process.pid}, still running)`);
    expect(refused.output()).not.toContain('Recontact is ready');
    expect(isAlive(leftoverPid)).toBe(true);

    // Its owner is gone: the next start stops it and says so.
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(devServerPidFile(dbFile), `${leftoverPid}\n${gone.pid}\n`);
    const next = npmStart(env);
    await healthy(env, next);
    expect(next.output()).toContain(
      `a Temporal dev server (pid ${leftoverPid}) left running by an earlier start that was killed`,
    );
    expect(isAlive(leftoverPid)).toBe(false);
    next.signal('SIGINT');
    await next.finished;
    expect(next.output()).toContain('Recontact stopped.');
  }, 150_000);
});
