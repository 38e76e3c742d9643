#!/usr/bin/env -S node --max-semi-space-size=2
import { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { runStack } from './start-stack';
import { runDoctorCommand } from './doctor-command';
import { runProvisionCommand } from './provision-command';
import { registerCallbackCommands } from './callback-command';
import { runImportCommand } from './import-command';
import { registerOutreachCommands } from './outreach-commands';
import { runDeskTokenCommand } from './desk-token-command';
import { runReportCommand } from './report-command';
import { runSetupNamespaceCommand } from './setup-namespace-command';
import { registerClusterCommands } from './cluster-command';

loadDotenv({ quiet: true });

/** Loads the configuration or ends the process with every problem listed. */
function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error('See the configuration table in README.md.');
      process.exit(2);
    }
    throw error;
  }
}

const program = new Command()
  .name('recontact')
  .description('Proactive outbound and callback orchestrator for contact centres, on Temporal')
  .showHelpAfterError();

program
  .command('start')
  .description(
    'run everything: the embedded Temporal dev server (unless TEMPORAL_ADDRESS is set), worker and API',
  )
  .action(() => runStack(configOrExit(), { worker: true, api: true }));

program
  .command('worker')
  .description('run only a worker (connects to TEMPORAL_ADDRESS, default 127.0.0.1:DEV_SERVER_PORT)')
  .action(() => runStack(configOrExit(), { worker: true, api: false }));

program
  .command('api')
  .description('run only the HTTP API')
  .action(() => runStack(configOrExit(), { worker: false, api: true }));

program
  .command('doctor')
  .description(
    'check Temporal, the namespace, search attributes and a polling worker; say how to fix what is wrong',
  )
  .option('--json', 'print the checks as JSON')
  .option('--timeout <seconds>', 'seconds to wait for the probe workflow', '10')
  .action((options: { json?: boolean; timeout: string }) => runDoctorCommand(configOrExit(), options));

program
  .command('setup-namespace')
  .description(
    'on a self-hosted Temporal cluster: create TEMPORAL_NAMESPACE if missing and register the search attributes',
  )
  .option('--retention-days <days>', 'how long closed runs stay readable (only when creating)', '30')
  .option('--timeout <seconds>', 'keep retrying this long while the cluster starts', '120')
  .action((options: { retentionDays: string; timeout: string }) =>
    runSetupNamespaceCommand(configOrExit(), options),
  );

program
  .command('provision')
  .description(
    'build or fetch the Temporal CLI, the time-skipping test server and the test browser into the project cache',
  )
  .option('--test-server', 'also fetch the time-skipping test server (Java + Maven)')
  .option('--cluster', 'also build the Temporal server and schema tool for `recontact cluster` (Go)')
  .option(
    '--browser',
    "also extract the agent desk tests' headless Chromium (npm package @sparticuz/chromium)",
  )
  .option(
    '--check',
    'provision nothing: say what this machine lacks for npm start and npm test, and how to get it',
  )
  .action((options: { testServer?: boolean; browser?: boolean; cluster?: boolean; check?: boolean }) =>
    runProvisionCommand(options),
  );

registerCallbackCommands(program, configOrExit);
program
  .command('import')
  .description(
    'start reminders, notices or courtesy outreach from a .csv or .jsonl file: every row validated first, ' +
      'idempotent ids, a steady rate; safe to re-run after Ctrl-C',
  )
  .argument('<file>', '.csv (header row) or .jsonl')
  .requiredOption('--kind <kind>', 'reminder | notice | courtesy')
  .option('--strict', 'start nothing when any row is bad')
  .option('--rate <perSecond>', 'workflow starts per second at most', '50')
  .action((file: string, options: unknown) => runImportCommand(configOrExit(), file, options));

registerOutreachCommands(program, configOrExit);

program
  .command('desk-token')
  .description('issue an agent-desk token for an agent or a supervisor (printed once), or revoke them all')
  .argument('<id>', "the agent's id, or the supervisor's handle")
  .option('--role <role>', 'agent or supervisor', 'agent')
  .option('--label <label>', 'where the token is used, e.g. "ana laptop"')
  .option('--revoke', 'revoke every desk token of <id> instead')
  .action((id: string, options: { role: string; label?: string; revoke?: boolean }) =>
    runDeskTokenCommand(configOrExit(), id, options),
  );

program
  .command('report')
  .description("KPIs of a period of the centre's calendar from the contact store (docs/kpi.md)")
  .requiredOption('--from <date>', 'first day, YYYY-MM-DD, in the centre’s time zone')
  .requiredOption('--to <date>', 'the day after the last, YYYY-MM-DD (exclusive)')
  .option('--queue <queue>', 'only callbacks of this queue')
  .option('--agent <id>', 'only callbacks, offers and scores of this agent')
  .option('--tenant <tenant>', 'only callbacks requested for this tenant')
  .option('--format <format>', 'table, json or csv', 'table')
  .action((options: unknown) => runReportCommand(configOrExit(), options));

registerClusterCommands(program, configOrExit);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
