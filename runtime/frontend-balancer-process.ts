/**
 * The frontend balancer as a process of its own, started by `recontact cluster up` (it outlives
 * that command, like the nodes) and stopped by `cluster down`:
 *
 *   node frontend-balancer-process.js --port 7233 --frontends 127.0.0.1:7243,127.0.0.1:7253 --status-file f
 *
 * It logs every frontend that turns healthy or unhealthy, and keeps `--status-file` (JSON: each
 * frontend's health and connections) current for `cluster status` and the doctor.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startFrontendBalancer } from './frontend-balancer';
import { balancerArgsSchema } from './frontend-balancer-launch';

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        frontends: { type: 'string' },
        'status-file': { type: 'string' },
      },
    }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const parsed = balancerArgsSchema.safeParse({
    port: values.port,
    frontends: values.frontends,
    statusFile: values['status-file'],
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`--${String(issue.path[0]).replace('statusFile', 'status-file')}: ${issue.message}`);
    process.exit(2);
  }
  const { port, frontends, statusFile } = parsed.data;
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const balancer = await startFrontendBalancer({
    port,
    frontends,
    onChange: (frontend) =>
      log(
        `frontend ${frontend.address} ${frontend.healthy ? 'healthy' : `unhealthy (${frontend.reason ?? ''})`}`,
      ),
  });
  const writeStatus = () => {
    const temporary = path.join(path.dirname(statusFile), `.${path.basename(statusFile)}.${process.pid}`);
    writeFileSync(
      temporary,
      `${JSON.stringify({ address: balancer.address, pid: process.pid, updatedAt: new Date().toISOString(), frontends: balancer.status() }, null, 2)}\n`,
    );
    renameSync(temporary, statusFile);
  };
  writeStatus();
  const timer = setInterval(writeStatus, 1_000);
  log(`balancing ${balancer.address} over ${frontends.join(', ')}`);
  const stop = () => {
    clearInterval(timer);
    void balancer.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof z.ZodError ? error.message : error);
  process.exit(1);
});
