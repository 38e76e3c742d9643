import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { type Config, publicUrl } from '../config/config';
import {
  clusterAddress,
  clusterDown,
  clusterHealth,
  clusterProcesses,
  clusterUp,
  readClusterState,
} from '../runtime/temporal-cluster';

const upOptionsSchema = z.object({
  nodes: z.coerce.number().int('a whole number').min(1, 'at least 1').max(5, 'at most 5'),
  // Temporal records membership ports as a PostgreSQL smallint: every port must stay below 32768.
  port: z.coerce
    .number()
    .int('a whole number')
    .min(1024, 'at least 1024')
    .max(32_700, 'at most 32700 (Temporal keeps membership ports below 32768)'),
  workers: z.coerce.number().int('a whole number').min(0, 'at least 0').max(8, 'at most 8'),
  api: z.boolean(),
  ui: z.boolean(),
  databaseUrl: z
    .url({ protocol: /^postgres(ql)?$/, error: 'expected postgres://user:pass@host:port/db' })
    .optional(),
});

const flagOf: Record<string, string> = {
  nodes: '--nodes',
  port: '--port',
  workers: '--workers',
  databaseUrl: '--database-url',
};

/** DATA_DIR/cluster: everything `recontact cluster` writes. */
export function clusterDir(config: Config): string {
  return path.resolve(config.DATA_DIR, 'cluster');
}

/** `recontact cluster up|status|down` (docs/deployment.md). */
export function registerClusterCommands(program: Command, configOrExit: () => Config): void {
  const cluster = program
    .command('cluster')
    .description('a Temporal cluster on this machine (PostgreSQL, N server nodes) with Recontact on it');

  cluster
    .command('up')
    .description(
      'start PostgreSQL, the Temporal nodes, the namespace, Recontact workers and API; then return',
    )
    .option('--nodes <n>', 'Temporal server processes', '2')
    .option(
      '--port <port>',
      'the frontend balancer (the address to use) listens on port, the Web UI on port+9, node i on port+10·(i+1) … +8',
      '7233',
    )
    .option('--workers <n>', '`recontact worker` processes', '2')
    .option('--no-api', 'start no `recontact api`')
    .option('--no-ui', 'start no Temporal Web UI (otherwise on port+9)')
    .option(
      '--database-url <url>',
      'an existing PostgreSQL (superuser); default: a local one in DATA_DIR/cluster',
    )
    .action(async (options: Record<string, unknown>) => {
      const config = configOrExit();
      const parsed = upOptionsSchema.safeParse(options);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0]);
          console.error(`${flagOf[key] ?? key}: ${issue.message}`);
        }
        process.exit(2);
      }
      try {
        const state = await clusterUp({
          dir: clusterDir(config),
          nodes: parsed.data.nodes,
          basePort: parsed.data.port,
          ...(parsed.data.databaseUrl !== undefined ? { databaseUrl: parsed.data.databaseUrl } : {}),
          namespace: config.TEMPORAL_NAMESPACE,
          workers: parsed.data.workers,
          api: parsed.data.api,
          // The UI decodes through the API's codec endpoint once an administrator adds the token.
          ui: parsed.data.ui
            ? parsed.data.api
              ? { codecEndpoint: `${publicUrl(config)}/codec` }
              : {}
            : false,
          env: process.env,
        });
        console.log(`Temporal cluster: ${state.nodes.map((node) => node.frontend).join(', ')}`);
        console.log(
          `Use it:           TEMPORAL_ADDRESS=${clusterAddress(state)} (namespace ${config.TEMPORAL_NAMESPACE}; the balancer in front of every frontend)`,
        );
        if (state.ui !== undefined) console.log(`Web UI:           ${state.ui.url}`);
        for (const proc of clusterProcesses(state))
          console.log(`  ${proc.name.padEnd(20)} pid ${proc.pid}, log ${proc.logFile}`);
        console.log('`recontact cluster status` checks it; `recontact cluster down` stops it.');
      } catch (error) {
        console.error(`cluster up failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    });

  cluster
    .command('status')
    .description('each process, and the members of the Temporal rings as the cluster itself records them')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = configOrExit();
      const state = readClusterState(clusterDir(config));
      if (state === undefined) {
        console.error(`no cluster in ${clusterDir(config)}: recontact cluster up`);
        process.exitCode = 1;
        return;
      }
      const health = await clusterHealth(state);
      if (options.json) {
        console.log(JSON.stringify(health, null, 2));
      } else {
        for (const proc of health.processes)
          console.log(
            `${proc.alive ? 'ok  ' : 'DOWN'} ${proc.name.padEnd(20)} pid ${proc.pid}  ${proc.logFile}`,
          );
        if (health.balancer !== undefined) {
          const { balancer } = health;
          console.log(
            `${balancer.answering ? 'ok  ' : 'FAIL'} balancer             ${balancer.address} (a frontend answers through it)`,
          );
          for (const frontend of balancer.frontends)
            console.log(
              `${frontend.healthy ? 'ok  ' : 'FAIL'}   → ${frontend.address.padEnd(16)} ${frontend.healthy ? 'healthy' : `unhealthy: ${frontend.reason ?? ''}`} since ${frontend.since}; ${frontend.open} open, ${frontend.served} served`,
            );
        }
        if (health.ui !== undefined)
          console.log(`${health.ui.answering ? 'ok  ' : 'FAIL'} web ui               ${health.ui.url}`);
        if (!Array.isArray(health.rings)) console.log(`FAIL membership: ${health.rings.error}`);
        else
          for (const ring of health.rings)
            console.log(
              `${ring.members.length === health.expectedMembers ? 'ok  ' : 'FAIL'} ring ${ring.role.padEnd(9)} ${ring.members.length}/${health.expectedMembers} members: ${ring.members.join(', ')}`,
            );
      }
      process.exitCode = health.healthy ? 0 : 1;
    });

  cluster
    .command('down')
    .description('stop Recontact processes, the Temporal nodes and the local PostgreSQL (data stays)')
    .action(async () => {
      const config = configOrExit();
      const state = await clusterDown(clusterDir(config));
      console.log(
        state === undefined ? 'no cluster was running' : `stopped the cluster started ${state.startedAt}`,
      );
    });
}
