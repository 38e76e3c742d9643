import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { runImport } from '../../cli/import/run-import';
import { CourtesyClient } from '../../client/courtesy';
import { ReminderClient } from '../../client/reminders';
import { cliEnv, recontactCommand, runToEnd } from '../harness/cli';
import { connectTestClient } from '../harness/temporal';

// On the shared dev server: starts only (no worker polls this task queue); every run is terminated
// at the end.
describe('recontact import', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-import-'));
  const taskQueue = `import-${randomUUID()}`;
  const customerKeySecret = 'import-test-secret-0123456789';
  let temporal: Client;
  const ids: string[] = [];
  beforeAll(async () => {
    temporal = await connectTestClient();
  });
  afterAll(async () => {
    for (const id of ids) {
      await temporal.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    }
    await temporal.connection.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // What `recontact import` hands runImport: the clients that start rows, and the key secret.
  const deps = () => {
    const options = { temporal, taskQueue, customerKeySecret };
    return {
      outreach: { reminders: new ReminderClient(options), courtesy: new CourtesyClient(options) },
      customerKeySecret,
    };
  };
  const exists = async (workflowId: string) => {
    try {
      await temporal.workflow.getHandle(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  };

  const batch = randomUUID().slice(0, 8);
  const good = (n: number) =>
    `appt-${batch}-${n},2027-03-15T14:00:00Z,+1415555${String(1000 + n)},,America/New_York,US`;
  const csv = [
    'appointmentId,at,phone,email,timeZone,country',
    good(1),
    `appt-${batch}-bad-at,next tuesday,+14155552000,,America/New_York,US`, // line 3
    good(2),
    `appt-${batch}-no-address,2027-03-15T14:00:00Z,,,America/New_York,US`, // line 5
    good(3),
    '"appt-with, comma",2027-03-15T14:00:00Z,+14155552001,,America/New_York,US', // line 7: id rule
    `appt-${batch}-bad-zone,2027-03-15T14:00:00Z,+14155552002,,Mars/Olympus,US`, // line 8
    good(4),
  ].join('\n');

  it('reports bad rows with line and field, starts the good ones, and starts nothing new when re-run', async () => {
    const file = path.join(dir, 'reminders.csv');
    writeFileSync(file, `${csv}\n`);
    const first = await runImport({ file, kind: 'reminder', ...deps(), ratePerSecond: 200 });
    ids.push(...[1, 2, 3, 4].map((n) => `reminder-appt-${batch}-${n}`));

    expect(first.badRows.map((bad) => [bad.line, bad.problems.map((p) => p.field)])).toEqual([
      [3, ['at']],
      [5, ['contact']],
      [7, ['appointmentId']],
      [8, ['timeZone']],
    ]);
    expect(first).toMatchObject({ total: 4, started: 4, alreadyStarted: 0, failed: 0, interrupted: false });
    for (const id of ids) expect(await exists(id)).toBe(true);

    const again = await runImport({ file, kind: 'reminder', ...deps(), ratePerSecond: 200 });
    expect(again).toMatchObject({ total: 4, started: 0, alreadyStarted: 4, failed: 0 });
  });

  it('--strict starts nothing when any row is bad', async () => {
    const file = path.join(dir, 'strict.csv');
    const strictBatch = randomUUID().slice(0, 8);
    writeFileSync(
      file,
      [
        'appointmentId,at,phone,timeZone,country',
        `strict-${strictBatch},2027-03-15T14:00:00Z,+14155553000,America/New_York,US`,
        `strict-${strictBatch}-bad,2027-03-15,+14155553001,America/New_York,US`,
      ].join('\n'),
    );
    const summary = await runImport({ file, kind: 'reminder', strict: true, ...deps() });
    expect(summary.refused).toBe(true);
    expect(summary.badRows).toEqual([{ line: 3, problems: [expect.objectContaining({ field: 'at' })] }]);
    expect(await exists(`reminder-strict-${strictBatch}`)).toBe(false);
  });

  it('resumes after an interruption without duplicates', async () => {
    const resumeBatch = randomUUID().slice(0, 8);
    const file = path.join(dir, 'notices.jsonl');
    const rows = Array.from({ length: 20 }, (_, n) =>
      JSON.stringify({
        noticeId: `outage-${resumeBatch}`,
        channel: 'sms',
        message: 'Lines closed Sunday.',
        phone: `+1415555${4000 + n}`,
        country: 'US',
      }),
    );
    writeFileSync(file, `${rows.join('\n')}\n{not json\n`);
    const controller = new AbortController();
    const first = await runImport({
      file,
      kind: 'notice',
      ...deps(),
      ratePerSecond: 20,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.done === 5) controller.abort();
      },
    });
    expect(first.badRows).toEqual([
      { line: 21, problems: [{ field: '(row)', message: expect.stringContaining('invalid JSON') }] },
    ]);
    expect(first.interrupted).toBe(true);
    expect(first.started).toBeLessThan(20);
    const second = await runImport({ file, kind: 'notice', ...deps(), ratePerSecond: 200 });
    expect(second.started + second.alreadyStarted).toBe(20);
    expect(second.started).toBe(20 - first.started);
    const listed = temporal.workflow.list({
      query: `TaskQueue = "${taskQueue}" AND WorkflowType = "courtesyMessage"`,
    });
    for await (const run of listed) ids.push(run.workflowId);
  });

  it('prints a plain summary, without a progress bar, when the output is not a terminal', async () => {
    const file = path.join(dir, 'cli.csv');
    writeFileSync(file, `${csv}\n`);
    const { code, stdout, stderr } = await runToEnd(
      [...recontactCommand, 'import', file, '--kind', 'reminder'],
      cliEnv({ taskQueue, customerKeySecret, dataDir: dir }),
    );

    expect(stderr).not.toContain('\r');
    expect(stdout).toContain('line 3: at: expected an ISO 8601 instant');
    // Started by the first test or now: either way each of the 4 good rows is accounted for once.
    expect(stdout).toMatch(/started [0-4], already started [0-4], failed 0 of 4 good rows/);
    expect(code).toBe(2);
  });
  it('draws a progress bar with count, rate and ETA on a terminal', async () => {
    // script(1) gives the command a pseudo-terminal, as an operator's shell would.
    const file = path.join(dir, 'tty.csv');
    const ttyBatch = randomUUID().slice(0, 8);
    const rows = Array.from(
      { length: 30 },
      (_, n) => `tty-${ttyBatch}-${n},2027-03-15T14:00:00Z,+1415555${5000 + n},America/New_York,US`,
    );
    writeFileSync(file, ['appointmentId,at,phone,timeZone,country', ...rows].join('\n'));
    const command = [...recontactCommand, 'import', file, '--kind', 'reminder', '--rate', '20'].join(' ');
    const { stdout: output } = await runToEnd(['script', '-qec', command, '/dev/null'], {
      ...cliEnv({ taskQueue, customerKeySecret, dataDir: dir }),
      TERM: 'xterm',
    });
    ids.push(...rows.map((_, n) => `reminder-tty-${ttyBatch}-${n}`));

    expect(output).toMatch(/\r\[#+\.*\] \d+\/30 · \d+\.\d\/s · ETA \d+s/);
    expect(output).toContain('[########################] 30/30');
    expect(output).toContain('started 30, already started 0, failed 0 of 30 good rows');
  });
});
