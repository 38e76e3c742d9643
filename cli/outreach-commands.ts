import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../config/config';
import { InvalidRequestError } from '../client/invalid-request';
import { RecontactClient } from '../client/recontact-client';
import type { CourtesyRequestInput, CourtesyReschedule } from '../domain/courtesy';
import type { AppointmentInput } from '../domain/reminders';

/** `<json>` arguments: inline JSON, `@file.json`, or `-` for standard input; the client validates it. */
function readJson(argument: string): unknown {
  const text =
    argument === '-'
      ? readFileSync(0, 'utf8')
      : argument.startsWith('@')
        ? readFileSync(argument.slice(1), 'utf8')
        : argument;
  try {
    return JSON.parse(text);
  } catch (error) {
    console.error(`expected JSON (inline, @file or -): ${(error as Error).message}`);
    process.exit(2);
  }
}

/**
 * Runs `work` with a connected client and prints its answer as JSON. A refused request prints each
 * field and rule and exits 2; "nothing found" exits 1.
 */
async function withClient(
  config: () => Config,
  work: (recontact: RecontactClient) => Promise<unknown>,
): Promise<void> {
  const recontact = await RecontactClient.connect(config());
  try {
    const answer = await work(recontact);
    if (answer === undefined || answer === false) {
      console.error('not found (or no longer running)');
      process.exitCode = 1;
    } else {
      console.log(JSON.stringify(answer === true ? { ok: true } : answer, null, 2));
    }
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    for (const problem of error.problems)
      console.error(`${problem.field} (${problem.rule}): ${problem.message}`);
    process.exitCode = 2;
  } finally {
    await recontact.close();
  }
}

/** `recontact reminder …` and `recontact courtesy …`: the client functions from a shell. */
export function registerOutreachCommands(program: Command, config: () => Config): void {
  const reminder = program.command('reminder').description('appointment reminders (docs/reminders.md)');
  reminder
    .command('start <json>')
    .description(
      'start the series of one appointment: {"appointmentId","at","contact":{…}} inline, @file or -',
    )
    .action((json: string) =>
      withClient(config, ({ reminders }) => reminders.start(readJson(json) as AppointmentInput)),
    );
  reminder
    .command('status <appointmentId>')
    .description("the series' plan, each reminder's fate and its timeline")
    .action((id: string) => withClient(config, ({ reminders }) => reminders.status(id)));
  reminder
    .command('reschedule <appointmentId> <at>')
    .description('move the appointment to <at> (ISO instant); the remaining reminders follow')
    .action((id: string, at: string) =>
      withClient(config, ({ reminders }) => reminders.reschedule(id, { at })),
    );
  reminder
    .command('cancel <appointmentId>')
    .option('--reason <text>', 'why, for the timeline')
    .description('cancel the appointment: no more reminders')
    .action((id: string, options: { reason?: string }) =>
      withClient(config, ({ reminders }) =>
        reminders.cancel(id, options.reason ? { reason: options.reason } : {}),
      ),
    );
  reminder
    .command('list')
    .option('--state <state>', 'e.g. scheduled, confirmed, agent-call-requested, done')
    .option('--limit <n>', 'at most this many', '50')
    .description('reminder series, newest first')
    .action((options: { state?: string; limit: string }) =>
      withClient(config, ({ reminders }) => reminders.list({ ...options })),
    );

  const courtesy = program
    .command('courtesy')
    .description('thank-yous, yearly occasions and service notices (docs/courtesy.md)');
  courtesy
    .command('start <json>')
    .description('start one: {"type":"thank-you"|"yearly"|"notice", "courtesyId", …} inline, @file or -')
    .action((json: string) =>
      withClient(config, ({ courtesy }) => courtesy.start(readJson(json) as CourtesyRequestInput)),
    );
  courtesy
    .command('status <workflowId>')
    .description('next due time and every outreach so far')
    .action((id: string) => withClient(config, ({ courtesy }) => courtesy.status(id)));
  courtesy
    .command('reschedule <workflowId> <json>')
    .description('move a thank-you {"at":"…"} or a yearly occasion {"month":6,"day":20}')
    .action((id: string, json: string) =>
      withClient(config, ({ courtesy }) => courtesy.reschedule(id, readJson(json) as CourtesyReschedule)),
    );
  courtesy
    .command('cancel <workflowId>')
    .option('--reason <text>', 'why')
    .description('a pending thank-you or notice is not sent; a yearly occasion does not come again')
    .action((id: string, options: { reason?: string }) =>
      withClient(config, ({ courtesy }) =>
        courtesy.cancel(id, options.reason ? { reason: options.reason } : {}),
      ),
    );
  courtesy
    .command('list')
    .option('--kind <kind>', 'courtesy or notice', 'courtesy')
    .option('--limit <n>', 'at most this many', '50')
    .description('courtesy outreaches or notices, newest first')
    .action((options: { kind: 'courtesy' | 'notice'; limit: string }) =>
      withClient(config, ({ courtesy }) => courtesy.list(options)),
    );
}
