import type { Command } from 'commander';
import { ZodError } from 'zod';
import type { Config } from '../config/config';
import { CallbackRejectedError, type CallbackTarget } from '../client/callbacks';
import { InvalidRequestError } from '../client/invalid-request';
import { RecontactClient } from '../client/recontact-client';
import { createContactStore, createDatabase, migrateToLatest } from '../store';
import type { CallbackStatus, DispositionInput } from '../workflows/callback-messages';

/** `callback-…` is a run; anything else is the customer's number. */
function target(value: string): CallbackTarget {
  return value.startsWith('callback-') ? { workflowId: value } : { phone: value };
}

function printStatus(status: CallbackStatus): void {
  console.log(`${status.workflowId}: ${status.state}${status.outcome ? ` (${status.outcome})` : ''}`);
  console.log(`  ${status.detail}`);
  console.log(
    `  queue ${status.context.queue}, skill ${status.context.skill}, priority ${status.priority}, ` +
      `${status.attempts.length} attempt(s)${status.dueAt ? `, due ${status.dueAt}` : ''}`,
  );
  for (const entry of status.timeline) console.log(`  ${entry.at}  ${entry.step.padEnd(16)} ${entry.detail}`);
}

/**
 * Runs one callback operation with a connected client; bad input exits 2 naming the field, a
 * refusal by the callback (a second claim, a closed callback) exits 3.
 */
async function withClient(
  config: () => Config,
  run: (client: RecontactClient, config: Config) => Promise<void>,
): Promise<void> {
  const loaded = config();
  const client = await RecontactClient.connect(loaded);
  try {
    await run(client, loaded);
  } catch (error) {
    if (error instanceof InvalidRequestError || error instanceof ZodError) {
      const problems =
        error instanceof InvalidRequestError
          ? error.problems.map((problem) => `${problem.field}: ${problem.message} (${problem.rule})`)
          : error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (${issue.code})`);
      console.error(`invalid input:\n  ${problems.join('\n  ')}`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof CallbackRejectedError) {
      console.error(`refused: ${error.message}`);
      process.exitCode = 3;
      return;
    }
    throw error;
  } finally {
    await client.close();
  }
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** `recontact callback …`: what the ACD, a supervisor or an agent does, from a shell. */
export function registerCallbackCommands(program: Command, config: () => Config): void {
  const callback = program.command('callback').description('abandoned-call and scheduled callbacks');

  callback
    .command('abandon')
    .description('report an abandoned call (as the ACD webhook does): starts or joins the callback')
    .requiredOption('--from <number>', 'caller number, E.164 or national with --country')
    .requiredOption('--queue <queue>', 'ACD queue')
    .requiredOption('--waited <seconds>', 'seconds waited in the queue')
    .option('--call-id <id>', 'ACD call id', `cli-${Date.now()}`)
    .option('--at <instant>', 'when the caller hung up (ISO 8601 with offset)', new Date().toISOString())
    .option('--country <code>', 'ISO country for a national number')
    .option('--ivr <input>', 'what the caller chose in the IVR')
    .option('--language <tag>', 'BCP 47 language')
    .option('--tier <tier>', 'customer tier')
    .action((options: Record<string, string | undefined>) =>
      withClient(config, async (client) => {
        const started = await client.callbacks.requestCallback({
          callId: options.callId ?? '',
          from: options.from ?? '',
          queue: options.queue ?? '',
          waitedSeconds: Number(options.waited),
          abandonedAt: options.at ?? '',
          ...(options.country ? { defaultCountry: options.country } : {}),
          ...(options.ivr ? { ivrInput: options.ivr } : {}),
          ...(options.language ? { language: options.language } : {}),
          ...(options.tier ? { tier: options.tier } : {}),
        });
        console.log(started.workflowId);
      }),
    );

  callback
    .command('schedule')
    .description('a callback at a chosen time (up to 45 days ahead)')
    .requiredOption('--phone <number>', 'customer number')
    .requiredOption('--at <instant>', 'when to call, ISO 8601 with offset')
    .requiredOption('--queue <queue>', 'queue (its skill is needed)')
    .option('--reason <text>', 'why, for the agent')
    .option('--name <name>', 'customer name, for the agent')
    .option('--language <tag>', 'BCP 47 language')
    .option('--time-zone <zone>', 'IANA zone of the customer')
    .action((options: Record<string, string | undefined>) =>
      withClient(config, async (client) => {
        const started = await client.callbacks.scheduleCallback({
          phone: options.phone ?? '',
          at: options.at ?? '',
          queue: options.queue ?? '',
          ...(options.reason ? { reason: options.reason } : {}),
          ...(options.name ? { customerName: options.name } : {}),
          ...(options.language ? { language: options.language } : {}),
          ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        });
        console.log(started.workflowId);
      }),
    );

  callback
    .command('status <callback>')
    .description('state, context and timeline (callback id or customer number)')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withClient(config, async (client) => {
        const status = await client.callbacks.status(target(id));
        if (options.json) print(status);
        else printStatus(status);
      }),
    );

  callback
    .command('list')
    .description('callbacks by state, skill, agent or customer (priority order)')
    .option('--state <state>')
    .option('--skill <skill>')
    .option('--agent <id>')
    .option('--customer <hash>')
    .option('--closed', 'closed runs instead of open ones')
    .action(
      (options: { state?: string; skill?: string; agent?: string; customer?: string; closed?: boolean }) =>
        withClient(config, async (client) => {
          const items = await client.callbacks.list({
            ...(options.state ? { state: options.state } : {}),
            ...(options.skill ? { skill: options.skill } : {}),
            ...(options.agent ? { agentId: options.agent } : {}),
            ...(options.customer ? { customer: options.customer } : {}),
            open: !options.closed,
          });
          for (const item of items) {
            console.log(
              [
                item.workflowId,
                item.state ?? '-',
                item.outcome ?? '-',
                item.skill ?? '-',
                `p${item.priority ?? 0}`,
                item.agentId ?? '-',
              ].join('\t'),
            );
          }
        }),
    );

  callback
    .command('reached-us <callback>')
    .description('the customer reached us another way: the callback ends resolved-elsewhere')
    .option('--channel <channel>', 'how they reached us (inbound-call, chat, email, …)')
    .option('--by <who>', 'who reports it', 'cli')
    .action((id: string, options: { channel?: string; by: string }) =>
      withClient(config, async (client) =>
        print(
          await client.callbacks.customerReachedUs(target(id), {
            by: options.by,
            ...(options.channel ? { channel: options.channel } : {}),
          }),
        ),
      ),
    );

  callback
    .command('cancel <callback>')
    .description('cancel with a reason')
    .requiredOption('--reason <text>')
    .option('--by <who>', 'who cancels', 'cli')
    .action((id: string, options: { reason: string; by: string }) =>
      withClient(config, async (client) => print(await client.callbacks.cancel(target(id), options))),
    );

  callback
    .command('reschedule <callback>')
    .description('not before a new time')
    .requiredOption('--at <instant>', 'ISO 8601 with offset')
    .option('--by <who>', 'who reschedules', 'cli')
    .action((id: string, options: { at: string; by: string }) =>
      withClient(config, async (client) =>
        printStatus(await client.callbacks.reschedule(target(id), { notBefore: options.at, by: options.by })),
      ),
    );

  callback
    .command('reassign <callback>')
    .description('offer to this agent first')
    .requiredOption('--agent <id>')
    .option('--by <who>', 'who reassigns', 'cli')
    .action((id: string, options: { agent: string; by: string }) =>
      withClient(config, async (client) =>
        printStatus(await client.callbacks.reassign(target(id), { agentId: options.agent, by: options.by })),
      ),
    );

  callback
    .command('priority <callback>')
    .description('raise the priority')
    .requiredOption('--points <n>', 'points to add')
    .option('--by <who>', 'who raises it', 'cli')
    .action((id: string, options: { points: string; by: string }) =>
      withClient(config, async (client) =>
        printStatus(
          await client.callbacks.raisePriority(target(id), {
            points: Number(options.points),
            by: options.by,
          }),
        ),
      ),
    );

  callback
    .command('claim <callback>')
    .description('claim for an agent (their skills and presence are read from the contact store)')
    .requiredOption('--agent <id>')
    .action((id: string, options: { agent: string }) =>
      withClient(config, async (client, loaded) => {
        const db = createDatabase({
          databaseUrl: loaded.DATABASE_URL,
          dataDir: loaded.DATA_DIR,
          ...(loaded.SQLITE_FILE !== undefined ? { sqliteFile: loaded.SQLITE_FILE } : {}),
        });
        try {
          await migrateToLatest(db);
          const agent = await createContactStore(db).getAgent(options.agent);
          if (agent === undefined) {
            throw new InvalidRequestError([
              { field: 'agent', rule: 'exists', message: `no agent with id ${options.agent}` },
            ]);
          }
          printStatus(
            await client.callbacks.claim(target(id), {
              agentId: agent.id,
              name: agent.name,
              skills: [...agent.skills],
              languages: [...agent.languages],
              presence: agent.presence,
            }),
          );
        } finally {
          await db.destroy();
        }
      }),
    );

  callback
    .command('disposition <callback>')
    .description("record the agent's disposition after the call")
    .requiredOption('--agent <id>')
    .requiredOption(
      '--disposition <kind>',
      'resolved | follow-up | wrong-number | not-interested | voicemail-left | no-answer',
    )
    .option('--follow-up-at <instant>', 'for follow-up: when to call again')
    .option('--notes <text>')
    .action(
      (id: string, options: { agent: string; disposition: string; followUpAt?: string; notes?: string }) =>
        withClient(config, async (client) =>
          printStatus(
            await client.callbacks.recordDisposition(target(id), {
              agentId: options.agent,
              disposition: options.disposition as DispositionInput['disposition'],
              ...(options.followUpAt ? { followUpAt: options.followUpAt } : {}),
              ...(options.notes ? { notes: options.notes } : {}),
            }),
          ),
        ),
    );
}
