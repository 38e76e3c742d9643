import { z } from 'zod';
import type { Config } from '../config/config';
import { RecontactClient } from '../client/recontact-client';
import { clusterHealth, readClusterState } from '../runtime/temporal-cluster';
import { clusterDir } from './cluster-command';

const timeoutSchema = z.coerce.number().int().min(1).max(120);

/** `recontact doctor`: exit 0 when every check passes, 1 when one fails, 2 on bad flags. */
export async function runDoctorCommand(config: Config, options: { json?: boolean; timeout: string }) {
  const timeout = timeoutSchema.safeParse(options.timeout);
  if (!timeout.success) {
    console.error(
      `--timeout: ${timeout.error.issues[0]?.message ?? 'invalid'} (a whole number of seconds, 1–120)`,
    );
    process.exit(2);
  }
  let client: RecontactClient | undefined;
  let checks;
  try {
    client = await RecontactClient.connect(config);
    checks = await client.doctor({ probeTimeoutSeconds: timeout.data });
  } catch (error) {
    checks = [
      {
        name: 'temporal',
        ok: false,
        detail: `cannot connect: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'start it with `npm start`, or set TEMPORAL_ADDRESS (and TLS / API key) to a running server',
      },
    ];
  } finally {
    await client?.close();
  }
  checks = [...checks, ...(await localClusterChecks(config))];
  if (options.json) {
    console.log(JSON.stringify({ ok: checks.every((check) => check.ok), checks }, null, 2));
  } else {
    for (const check of checks) {
      console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(18)} ${check.detail}`);
      if (!check.ok && check.fix) console.log(`     ${''.padEnd(18)} fix: ${check.fix}`);
    }
  }
  process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
}

/**
 * With a local cluster from `recontact cluster up` in DATA_DIR, the doctor checks its whole
 * topology too: every node, worker and API process alive, the frontend balancer answering with every
 * frontend healthy, every node in every ring.
 */
async function localClusterChecks(config: Config) {
  const state = readClusterState(clusterDir(config));
  if (state === undefined) return [];
  const health = await clusterHealth(state);
  const down = health.processes.filter((proc) => !proc.alive).map((proc) => proc.name);
  const rings = health.rings;
  const short = Array.isArray(rings)
    ? rings.filter((ring) => ring.members.length !== health.expectedMembers)
    : [];
  const balancer = health.balancer;
  const detail = [
    `${health.processes.length - down.length}/${health.processes.length} processes alive`,
    ...(balancer !== undefined
      ? [
          `balancer ${balancer.address} ${balancer.answering ? 'answering' : 'NOT answering'}, frontends ${balancer.frontends.filter((frontend) => frontend.healthy).length}/${balancer.frontends.length} healthy`,
        ]
      : []),
    Array.isArray(rings)
      ? rings.map((ring) => `${ring.role} ${ring.members.length}/${health.expectedMembers}`).join(', ')
      : `membership unreadable: ${rings.error}`,
  ].join('; ');
  return [
    {
      name: 'local-cluster',
      ok: health.healthy,
      detail:
        down.length > 0
          ? `${detail}; down: ${down.join(', ')}`
          : short.length > 0
            ? `${detail} (a node is missing from a ring)`
            : detail,
      ...(health.healthy
        ? {}
        : {
            fix: 'read the logs `recontact cluster status` lists; `recontact cluster down` then `up` restarts it',
          }),
    },
  ];
}
