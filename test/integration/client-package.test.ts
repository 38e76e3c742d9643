import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { projectRoot } from '../../runtime/project-paths';
import { searchAttributes } from '../../workflows/search-attributes';
import { cliEnv } from '../harness/cli';
import { connectTestClient } from '../harness/temporal';

const execute = promisify(execFile);

/** Runs a program to its end; a failure says what the program printed (tsc prints its errors on stdout). */
async function run(program: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  try {
    return await execute(program, args, options);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${program} ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}
const root = projectRoot();

/**
 * Another system's project that depends on Recontact: the package is built as `npm run build`
 * builds it (declarations included) and installed in the consumer's node_modules, which then
 * imports it by name — through package.json's `exports` and `types`, never by a path into it.
 */
describe('the client as a package other systems import', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-package-'));
  const pkg = path.join(dir, 'recontact');
  const consumer = path.join(dir, 'consumer');
  let temporal: Client;

  beforeAll(async () => {
    temporal = await connectTestClient();
    // `npm run build` (tsconfig.build.json, declarations included), into the package's folder.
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: path.join(root, 'tsconfig.build.json'),
        compilerOptions: {
          outDir: path.join(pkg, 'dist'),
          sourceMap: false,
          typeRoots: [path.join(root, 'node_modules', '@types')],
        },
      }),
    );
    await run(process.execPath, [
      require.resolve('typescript/bin/tsc'),
      '-p',
      path.join(dir, 'tsconfig.json'),
    ]);
    writeFileSync(path.join(pkg, 'package.json'), readFileSync(path.join(root, 'package.json')));
    // The package's own dependencies, as npm would install them beside it.
    symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
    symlinkSync(pkg, path.join(consumer, 'node_modules', 'recontact'), 'dir');
  }, 300_000);

  afterAll(async () => {
    await temporal?.connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a reminder series from plain JavaScript that requires the package by name', async () => {
    const appointmentId = `package-${randomUUID()}`;
    const taskQueue = `client-package-${randomUUID()}`;
    writeFileSync(
      path.join(consumer, 'start.js'),
      `const { RecontactClient, loadConfig } = require('recontact');
(async () => {
  const recontact = await RecontactClient.connect(loadConfig(process.env));
  try {
    const started = await recontact.reminders.start({
      appointmentId: ${JSON.stringify(appointmentId)},
      at: '2030-03-15T14:00:00Z',
      contact: { phone: '+14155550100', timeZone: 'America/New_York', country: 'US' },
    });
    console.log(JSON.stringify(started));
  } finally {
    await recontact.close();
  }
})();
`,
    );
    const env = cliEnv({ taskQueue, customerKeySecret: 'package-test-secret-0123456789', dataDir: dir });
    const { stdout } = await run(process.execPath, ['start.js'], { cwd: consumer, env });
    expect(JSON.parse(stdout)).toEqual({ workflowId: `reminder-${appointmentId}`, started: true });

    // The run exists on the server, listed as a reminder (no worker polls this task queue: it waits).
    const handle = temporal.workflow.getHandle(`reminder-${appointmentId}`);
    const described = await handle.describe();
    expect(described.type).toBe('appointmentReminder');
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(searchAttributes.Kind)).toBe('reminder');
    await handle.terminate('test over');
  });

  it('types a TypeScript consumer through the declarations the package names', async () => {
    writeFileSync(
      path.join(consumer, 'use.ts'),
      `import { RecontactClient, InvalidRequestError, type AppointmentInput, type StartResult } from 'recontact';
export async function book(recontact: RecontactClient, appointment: AppointmentInput): Promise<StartResult | string> {
  try {
    return await recontact.reminders.start(appointment);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.problems.map((problem) => problem.field).join(', ');
    throw error;
  }
}
// @ts-expect-error reminders.start needs an appointment
export const wrong = (recontact: RecontactClient) => recontact.reminders.start({ at: 5 });
`,
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const options = [
      '--noEmit',
      '--strict',
      '--module',
      'node16',
      '--moduleResolution',
      'node16',
      '--skipLibCheck',
    ];
    await expect(
      run(
        process.execPath,
        [
          tsc,
          ...options,
          '--types',
          'node',
          '--typeRoots',
          path.join(root, 'node_modules', '@types'),
          'use.ts',
        ],
        {
          cwd: consumer,
        },
      ),
    ).resolves.toBeDefined();
  });
});
