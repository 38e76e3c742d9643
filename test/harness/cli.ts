import { spawn } from 'node:child_process';
import path from 'node:path';
import { RECONTACT_NODE_FLAGS } from '../../runtime/node-flags';
import { projectRoot } from '../../runtime/project-paths';
import { sharedServerAddress } from './temporal';
import { TEST_NAMESPACE } from './test-env';
import { TEST_PAYLOAD_KEYS } from './payload-keys';

/**
 * `node --max-semi-space-size=2 --import tsx cli/main.ts` (runtime/node-flags.ts): the `recontact` command from source, as argv, in one process
 * (as `npm start` runs it), so a signal sent to it reaches Recontact itself — the `tsx` wrapper
 * would run it in a child that outlives a SIGKILL of the wrapper. Run with the project as cwd.
 */
export const recontactCommand = [
  process.execPath,
  ...RECONTACT_NODE_FLAGS,
  '--import',
  'tsx',
  path.join(projectRoot(), 'cli', 'main.ts'),
];

/** The environment of a `recontact` client command against the shared dev server. */
export function cliEnv(vars: { taskQueue: string; customerKeySecret: string; dataDir: string }) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TEMPORAL_ADDRESS: sharedServerAddress(),
    TEMPORAL_NAMESPACE: TEST_NAMESPACE,
    TEMPORAL_TASK_QUEUE: vars.taskQueue,
    CUSTOMER_KEY_SECRET: vars.customerKeySecret,
    DATA_DIR: vars.dataDir,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
  };
}

/** Runs a program to its end and collects its output. */
export function runToEnd(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [program, ...args] = argv;
  const child = spawn(program ?? '', args, { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
