import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { appointmentReminder } from '../../workflows/appointment-reminder';
import {
  cancelReminderSignal,
  reminderStatusQuery,
  rescheduleReminderSignal,
  type ReminderStatus,
} from '../../workflows/reminder-signals';
import { customerKeyFor } from '../../domain/customer-key';
import type { AppointmentReminderInput } from '../../domain/reminders';
import { reminderWorkflowId } from '../../domain/reminders';
import { createTimeSkippingEnv, eventually } from '../harness/temporal';
import { startChannelStack, type ChannelStack } from '../harness/channels';
import type { ApiError } from '../../api/errors';
import { searchAttributes } from '../../workflows/search-attributes';
import { callbackStatusQuery } from '../../workflows/callback-messages';
import { callbackWorkflowIdFor } from '../../client/callbacks';
import { ReminderClient } from '../../client/reminders';

// Time-skipping server plus the real channel stack (Twilio sandbox, SMTP sink, SQLite store, API with
// the Twilio webhooks, paced channel workers), with the shipped contact rules: US SMS 08:00–21:00.
describe('appointmentReminder (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let stack: ChannelStack;
  // A server per test: each test sets its own clock (appointments in March 2027).
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    stack = await startChannelStack(
      { CONTACT_POLICY_FILE: '', TEMPORAL_NAMESPACE: env.namespace ?? 'default' },
      { client: env.client, nativeConnection: env.nativeConnection, namespace: env.namespace ?? 'default' },
    );
  }, 120_000);
  afterEach(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  // Monday 15 March 2027, 10:00 in New York: the day after the US spring-forward (14 March).
  const MONDAY_10_EDT = '2027-03-15T14:00:00.000Z';
  let phoneSeq = 100;
  const appointment = (overrides: Partial<AppointmentReminderInput> = {}) => {
    const phone = `+1415555${String(phoneSeq++).padStart(4, '0')}`;
    const email = `customer-${phoneSeq}@example.com`;
    const input: AppointmentReminderInput = {
      appointmentId: `appt-${randomUUID()}`,
      at: MONDAY_10_EDT,
      contact: { phone, email, timeZone: 'America/New_York', country: 'US' },
      customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
      company: 'Acme Dental',
      ...overrides,
    };
    return { input, phone, email };
  };
  const start = (input: AppointmentReminderInput) =>
    env.client.workflow.start(appointmentReminder, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: reminderWorkflowId(input.appointmentId),
      args: [input],
    });
  const smsTo = (phone: string) =>
    stack.sandbox.outbox
      .listMessages()
      .filter((message) => message.to === phone && message.direction === 'outbound-api')
      .reverse();
  const emailsTo = (address: string) =>
    stack.sandbox.outbox.snapshot().emails.filter((message) => message.to.includes(address));
  /** Advances the test server's clock to `iso` (plus a minute for the send to finish). */
  const advanceTo = async (iso: string) => {
    const by = Date.parse(iso) + 60_000 - (await env.currentTimeMs());
    if (by > 0) await env.sleep(by);
  };
  const sent = (status: ReminderStatus) =>
    status.reminders.filter((r) => r.sentAt !== undefined).map((r) => [r.label, r.dueAt]);
  const expectSentOnTime = (status: ReminderStatus) => {
    for (const reminder of status.reminders.filter((r) => r.sentAt !== undefined)) {
      const late = Date.parse(reminder.sentAt ?? '') - Date.parse(reminder.dueAt ?? '');
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(2 * 60_000);
    }
  };

  it('sends the 2-day e-mail, 1-day and 2-hour SMS at the same New York wall-clock times across the DST change', async () => {
    const { input, phone, email } = appointment();
    const result = await (await start(input)).result();

    expect(result.outcome).toBe('unconfirmed');
    expect(sent(result)).toEqual([
      ['2d-email', '2027-03-13T15:00:00.000Z'], // Saturday 10:00 EST
      ['1d-sms', '2027-03-14T14:00:00.000Z'], // Sunday 10:00 EDT: 23 elapsed hours later
      ['2h-sms', '2027-03-15T12:00:00.000Z'], // Monday 08:00 EDT
    ]);
    expectSentOnTime(result);
    const texts = smsTo(phone).map((message) => message.body);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Reply C to confirm');
    expect(texts[0]).toContain('Monday, March 15');
    const [mail] = emailsTo(email);
    expect(mail?.text).toMatch(
      /Confirm: http:\/\/127\.0\.0\.1:\d+\/links\/reminders\/appt-[^/]+\/confirm\?at=/,
    );
  });

  it('moves a reminder that would fall in the night earlier, to the evening before, never past the appointment', async () => {
    // Tuesday 07:30 EDT: 2 hours before is 05:30, before the 08:00 start of the US window.
    const { input, phone } = appointment({
      at: '2027-03-16T11:30:00.000Z',
      offsets: [{ channel: 'sms', hours: 2, whenConfirmed: 'send' }],
    });
    const result = await (await start(input)).result();

    const [reminder] = result.reminders;
    expect(reminder?.nominalAt).toBe('2027-03-16T09:30:00.000Z');
    expect(reminder?.dueAt).toBe('2027-03-16T00:55:00.000Z'); // Monday 20:55 EDT
    expect(reminder?.movedEarlierMinutes).toBe(515);
    expectSentOnTime(result);
    expect(smsTo(phone)).toHaveLength(1);
  });

  it('moves the remaining reminders with a reschedule and sends none at the old times', async () => {
    const { input, phone, email } = appointment();
    const handle = await start(input);
    await advanceTo('2027-03-13T15:00:00.000Z');
    await eventually(async () => (emailsTo(email).length === 1 ? true : undefined));
    await handle.signal(rescheduleReminderSignal, { at: '2027-03-17T14:00:00.000Z' });
    const result = await handle.result();

    expect(result.appointmentAt).toBe('2027-03-17T14:00:00.000Z');
    expect(sent(result)).toEqual([
      ['2d-email', '2027-03-15T14:00:00.000Z'],
      ['1d-sms', '2027-03-16T14:00:00.000Z'],
      ['2h-sms', '2027-03-17T12:00:00.000Z'],
    ]);
    expectSentOnTime(result);
    expect(result.timeline.map((entry) => entry.step)).toContain('rescheduled');
    // One e-mail for the old time, one for the new; no SMS ever went out for the old time.
    expect(emailsTo(email)).toHaveLength(2);
    expect(smsTo(phone)).toHaveLength(2);
    expect(smsTo(phone)[0]?.body).toContain('Wednesday, March 17');
  });

  it("sends a second run of the same workflow id its own reminders, not the first run's SIDs", async () => {
    // A workflow id outlives its runs (a reset, a run started again after the first closed).
    const offsets = [{ channel: 'sms' as const, hours: 2, whenConfirmed: 'send' as const }];
    const { input, phone } = appointment({ offsets });
    const firstRun = await start(input);
    // Past the first appointment, without awaiting a result (that lets the server skip ahead).
    await advanceTo(input.at);
    await eventually(async () =>
      (await firstRun.describe()).status.name === 'COMPLETED' ? true : undefined,
    );
    const second = await (await start({ ...input, at: '2027-03-16T14:00:00.000Z' })).result();
    const first = await firstRun.result();

    const texts = smsTo(phone);
    expect(texts).toHaveLength(2);
    expect(texts.map((message) => message.sid)).toEqual([
      first.reminders[0]?.providerId,
      second.reminders[0]?.providerId,
    ]);
    expect(texts[1]?.body).toContain('Tuesday, March 16');
  });

  it('stops every remaining reminder when the appointment is cancelled', async () => {
    const { input, phone, email } = appointment();
    const handle = await start(input);
    await advanceTo('2027-03-13T15:00:00.000Z');
    await eventually(async () => (emailsTo(email).length === 1 ? true : undefined));
    await handle.signal(cancelReminderSignal, { reason: 'patient called the clinic' });
    const result = await handle.result();

    expect(result.outcome).toBe('cancelled');
    expect(result.reminders.map((r) => [r.label, r.sentAt !== undefined, r.skipped?.reason])).toEqual([
      ['2d-email', true, undefined],
      ['1d-sms', false, 'cancelled'],
      ['2h-sms', false, 'cancelled'],
    ]);
    expect(smsTo(phone)).toHaveLength(0);
    // The KPI report's row: one appointment, cancelled after one reminder.
    const rows = await stack.services.store.reminderOutcomes(0, Number.MAX_SAFE_INTEGER);
    expect(rows.filter((row) => row.appointmentId === input.appointmentId)).toEqual([
      expect.objectContaining({
        outcome: 'cancelled',
        remindersSent: 1,
        appointmentAtMs: Date.parse(MONDAY_10_EDT),
        workflowId: reminderWorkflowId(input.appointmentId),
      }),
    ]);
  });

  it('takes an SMS reply "¡Sí!" (accents, case and punctuation ignored) as a confirmation and stops the confirmation chase and the agent call', async () => {
    const { input, phone } = appointment({
      offsets: [
        { channel: 'sms', days: 2 },
        { channel: 'sms', days: 1 },
        { channel: 'sms', hours: 2, whenConfirmed: 'send' },
      ],
      agentCallHoursBefore: 4,
    });
    const handle = await start(input);
    await advanceTo('2027-03-13T15:00:00.000Z');
    await eventually(async () => (smsTo(phone).length === 1 ? true : undefined));
    await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: '¡Sí!' });
    await eventually(async () => ((await handle.query(reminderStatusQuery)).confirmed ? true : undefined));
    const result = await handle.result();

    expect(result.outcome).toBe('confirmed');
    expect(result.agentCallRequested).toBe(false);
    expect(result.reminders.map((r) => [r.label, r.sentAt !== undefined, r.skipped?.reason])).toEqual([
      ['2d-sms', true, undefined],
      ['1d-sms', false, 'confirmed'],
      ['2h-sms', true, undefined],
    ]);
    const texts = smsTo(phone).map((message) => message.body);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('see you soon');
  });

  it('records an agent call task when the customer has not confirmed by the configured time', async () => {
    const { input } = appointment({
      offsets: [{ channel: 'sms', days: 1 }],
      agentCallHoursBefore: 4,
    });
    const result = await (await start(input)).result();

    expect(result.outcome).toBe('unconfirmed');
    expect(result.agentCallRequested).toBe(true);
    // 4 hours before Monday 10:00 EDT.
    const requestedAt = result.timeline.find((entry) => entry.step === 'agent-call-requested')?.at ?? '';
    expect(Date.parse(requestedAt) - Date.parse('2027-03-15T10:00:00.000Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(requestedAt) - Date.parse('2027-03-15T10:00:00.000Z')).toBeLessThan(60_000);
  });

  it('asks an agent to call an unconfirmed customer through the callback flow', async () => {
    const { input, phone } = appointment({ offsets: [{ channel: 'sms', days: 1 }], agentCallHoursBefore: 4 });
    const request = {
      appointmentId: input.appointmentId,
      at: input.at,
      contact: input.contact,
      offsets: input.offsets,
      agentCallHoursBefore: 4,
    };
    const reminders = new ReminderClient({
      temporal: env.client,
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      customerKeySecret: stack.services.customerKeySecret,
      clock: () => Date.parse('2027-03-10T00:00:00Z'),
    });
    const { workflowId } = await reminders.start(request);
    const result = await env.client.workflow.getHandle<typeof appointmentReminder>(workflowId).result();
    expect(result.timeline.map((entry) => entry.step)).toContain('agent-call-started');

    const callbackId = callbackWorkflowIdFor(phone, stack.services.customerKeySecret);
    const callback = await eventually(() =>
      env.client.workflow
        .getHandle(callbackId)
        .query(callbackStatusQuery)
        .catch(() => undefined),
    );
    expect(callback.context).toMatchObject({ origin: 'scheduled', skill: 'reminders' });
    expect(callback.context.reason).toContain(input.appointmentId);
    // It expires with the appointment: nobody is called about an appointment that has passed.
    expect(Date.parse(callback.expiresAt ?? '')).toBeGreaterThanOrEqual(Date.parse(MONDAY_10_EDT));
    // While the test waited for the reminder's result, time may have skipped to the expiry (the
    // callback sleeps until its own deadlines), and it may end between a look and a terminate: stop
    // it only if it still runs.
    await env.client.workflow
      .getHandle(callbackId)
      .terminate('test over')
      .catch((error: unknown) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      });
  });

  it('rejects an appointment that has already passed, sending nothing', async () => {
    const { input, phone } = appointment({
      at: new Date((await env.currentTimeMs()) - 3_600_000).toISOString(),
    });
    const result = await (await start(input)).result();
    expect(result.outcome).toBe('past-appointment');
    expect(smsTo(phone)).toHaveLength(0);
  });
  it('confirms through the signed e-mail link (link → HTTP → signal) and refuses a tampered one', async () => {
    const { input, email } = appointment();
    const handle = await start(input);
    await advanceTo('2027-03-13T15:00:00.000Z');
    const mail = await eventually(async () => emailsTo(email)[0]);
    const link = /Confirm: (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
    expect(link).toContain('/confirm?at=');

    const tampered = link.replace(/sig=.{4}/, 'sig=AAAA');
    expect((await fetch(tampered, { method: 'POST' })).status).toBe(403);
    // A mail scanner's GET only shows the button.
    expect(await (await fetch(link)).text()).toContain('<form method="post">');
    expect((await handle.query(reminderStatusQuery)).confirmed).toBe(false);
    // As a browser submits the button's form.
    const posted = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(posted.status).toBe(200);
    await eventually(async () => ((await handle.query(reminderStatusQuery)).confirmed ? true : undefined));
    const result = await handle.result();
    expect(result.outcome).toBe('confirmed');
    expect(result.timeline.find((entry) => entry.step === 'confirmed')?.detail).toBe('by link');
  });

  it('serves start, status, reschedule and cancel over HTTP, refusing bad input with field and rule and starting nothing', async () => {
    const api = (path: string, method = 'GET', body?: unknown) =>
      fetch(`${stack.services.publicUrl}/v1${path}`, {
        method,
        headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const { input } = appointment();
    const request = { appointmentId: input.appointmentId, at: input.at, contact: input.contact };

    const bad = await api('/reminders', 'POST', { ...request, at: 'next tuesday' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.problems?.[0]).toMatchObject({ field: 'body.at' });
    const past = await api('/reminders', 'POST', { ...request, at: '2020-01-01T10:00:00Z' });
    expect(past.status).toBe(400);
    expect(((await past.json()) as ApiError).error.problems?.[0]).toMatchObject({
      field: 'body.at',
      rule: 'future',
    });
    expect((await api(`/reminders/${input.appointmentId}`)).status).toBe(404);

    const first = await api('/reminders', 'POST', request);
    expect(first.status).toBe(201);
    const again = await api('/reminders', 'POST', request);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ workflowId: `reminder-${input.appointmentId}`, started: false });

    const status = await eventually(async () => {
      const response = await api(`/reminders/${input.appointmentId}`);
      const body = (await response.json()) as ReminderStatus;
      return body.reminders?.length === 3 ? body : undefined;
    });
    expect(status.state).toBe('scheduled');
    expect(
      (await api(`/reminders/${input.appointmentId}/reschedule`, 'POST', { at: '2020-01-01T10:00:00Z' }))
        .status,
    ).toBe(400);
    expect(
      (await api(`/reminders/${input.appointmentId}/reschedule`, 'POST', { at: '2027-03-17T14:00:00Z' }))
        .status,
    ).toBe(202);
    await eventually(async () => {
      const body = (await (await api(`/reminders/${input.appointmentId}`)).json()) as ReminderStatus;
      return body.appointmentAt === '2027-03-17T14:00:00.000Z' ? true : undefined;
    });
    expect((await api(`/reminders/${input.appointmentId}/cancel`, 'POST', { reason: 'closed' })).status).toBe(
      202,
    );
    const result = await env.client.workflow.getHandle(`reminder-${input.appointmentId}`).result();
    expect(result.outcome).toBe('cancelled');
  });
  it.each([
    ['N', 'cancelled-by-customer', 'cancelled', false],
    ['R', 'reschedule-requested', 'reschedule-requested', true],
  ])(
    'takes an SMS reply "%s" as %s: the remaining reminders stop',
    async (body, outcome, reason, agentCall) => {
      const { input, phone } = appointment({
        offsets: [
          { channel: 'sms', days: 2 },
          { channel: 'sms', days: 1 },
        ],
      });
      const handle = await start(input);
      await advanceTo('2027-03-13T15:00:00.000Z');
      await eventually(async () => (smsTo(phone).length === 1 ? true : undefined));
      await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body });
      await eventually(async () =>
        (await handle.query(reminderStatusQuery)).timeline.some((entry) => entry.step.startsWith(reason))
          ? true
          : undefined,
      );
      const result = await handle.result();

      expect(result.outcome).toBe(outcome);
      expect(result.agentCallRequested).toBe(agentCall);
      expect(result.reminders.map((r) => [r.label, r.skipped?.reason])).toEqual([
        ['2d-sms', undefined],
        ['1d-sms', reason],
      ]);
      expect(smsTo(phone)).toHaveLength(1);
    },
  );

  it('labels the run for the Temporal UI: Kind, Customer, State, Outcome and a one-line memo without the address', async () => {
    const { input, phone } = appointment({ offsets: [{ channel: 'sms', hours: 2 }] });
    const handle = await start(input);
    await handle.result();
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(searchAttributes.Kind)).toBe('reminder');
    expect(described.typedSearchAttributes.get(searchAttributes.Customer)).toBe(input.customerKey);
    expect(described.typedSearchAttributes.get(searchAttributes.State)).toBe('done');
    expect(described.typedSearchAttributes.get(searchAttributes.Outcome)).toBe('unconfirmed');
    const memo = JSON.stringify(described.memo);
    expect(memo).toContain(`appointment ${input.appointmentId} at 2027-03-15T14:00:00.000Z: done`);
    expect(memo).not.toContain(phone);
  });
});
