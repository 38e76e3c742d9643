import { resolveTemporalCli } from '../runtime/temporal-cli';
import { resolveTestServer } from '../runtime/test-server';

/** `recontact provision`: fills the cache so later starts and test runs need no build. */
export async function runProvisionCommand(options: { testServer?: boolean }): Promise<void> {
  const cli = await resolveTemporalCli();
  if (cli === undefined)
    throw new Error('no Temporal CLI: install Go, put `temporal` on PATH or set TEMPORAL_CLI_PATH');
  console.log(`Temporal CLI: ${cli.path} (${cli.source})`);
  if (options.testServer) {
    const testServer = await resolveTestServer();
    if (testServer === undefined) throw new Error('no time-skipping test server: install Java 17+ and Maven');
    console.log(`Time-skipping test server: ${testServer}`);
  }
}
