import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ReminderClient } from '../../client/reminders';
import { cliEnv, recontactCommand, runToEnd } from '../harness/cli';
import { connectTestClient, eventually } from '../harness/temporal';

// `recontact reminder …` against the shared dev server (visibility for `list`); no worker polls the
// task queue, so the series stay at their first task and are terminated at the end.
describe('recontact reminder (command line)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-outreach-cli-'));
  const taskQueue = `outreach-cli-${randomUUID()}`;
  let temporal: Client;
  beforeAll(async () => {
    temporal = await connectTestClient();
  });
  afterAll(async () => {
    await temporal.connection.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) =>
    runToEnd(
      [...recontactCommand, ...args],
      cliEnv({ taskQueue, customerKeySecret: 'outreach-cli-secret-0123456789', dataDir: dir }),
    );

  it('starts a series once, refuses a past one naming field and rule, and lists it by state', async () => {
    const appointmentId = `cli-${randomUUID()}`;
    const appointment = {
      appointmentId,
      at: '2030-03-15T14:00:00Z',
      contact: { phone: '+14155556000', timeZone: 'America/New_York', country: 'US' },
    };
    const past = await cli(
      'reminder',
      'start',
      JSON.stringify({ ...appointment, at: '2020-01-01T00:00:00Z' }),
    );
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('at (future): must be in the future');

    const started = await cli('reminder', 'start', JSON.stringify(appointment));
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toEqual({ workflowId: `reminder-${appointmentId}`, started: true });

    const listed = await eventually(async () => {
      const found = await new ReminderClient({ temporal, taskQueue, customerKeySecret: 'unused' }).list({
        open: true,
        limit: 500,
      });
      return found.find((entry) => entry.appointmentId === appointmentId);
    });
    expect(listed).toMatchObject({ workflowId: `reminder-${appointmentId}`, status: 'RUNNING' });
    await temporal.workflow.getHandle(`reminder-${appointmentId}`).terminate('test over');
  });
});
