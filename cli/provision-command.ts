import { resolveChromium } from '../runtime/chromium';
import { checkPrerequisites } from '../runtime/prerequisites';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { resolveTestServer } from '../runtime/test-server';
import { resolveTemporalServer } from '../runtime/temporal-server';
import { resolveTemporalUiServer } from '../runtime/temporal-ui-server';

/** `recontact provision`: fills the cache so later starts and test runs need no build. */
export async function runProvisionCommand(options: {
  testServer?: boolean;
  browser?: boolean;
  cluster?: boolean;
  check?: boolean;
}): Promise<void> {
  if (options.check) return runCheck();
  const cli = await resolveTemporalCli();
  if (cli === undefined)
    throw new Error('no Temporal CLI: install Go, put `temporal` on PATH or set TEMPORAL_CLI_PATH');
  console.log(`Temporal CLI: ${cli.path} (${cli.source})`);
  if (options.testServer) {
    const testServer = await resolveTestServer();
    if (testServer === undefined)
      throw new Error('no time-skipping test server: install a JDK 17+ (java and javac) and Maven');
    console.log(`Time-skipping test server: ${testServer}`);
  }
  if (options.browser) {
    const browser = await resolveChromium();
    if (browser === undefined)
      throw new Error('no browser: run `npm install` (the devDependency @sparticuz/chromium ships one)');
    console.log(`Chromium: ${browser.executablePath} (${browser.source})`);
  }
  if (options.cluster) {
    const server = await resolveTemporalServer();
    console.log(`Temporal server (local cluster): ${server.server}, schema tool ${server.sqlTool}`);
    console.log(`Temporal Web UI (local cluster): ${await resolveTemporalUiServer()}`);
  }
}

/** `provision --check`: what this machine lacks for `npm start` and `npm test`; exit 1 if anything. */
async function runCheck(): Promise<void> {
  const checks = await checkPrerequisites();
  for (const check of checks) {
    console.log(
      `${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(13)} ${check.for.padEnd(10)} ${check.detail}`,
    );
    if (!check.ok && check.fix) console.log(`     ${''.padEnd(13)} ${''.padEnd(10)} fix: ${check.fix}`);
  }
  process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
}
