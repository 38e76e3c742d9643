import { isCancellation, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { AppointmentReminderInput } from '../domain/reminders';
import type { ReminderStatus } from './reminder-signals';
import { callbackQueue, localDecisions, runReports } from './activity-proxies';
import { callbackStarter } from './callback-starter';
import { searchAttributes } from './search-attributes';
import { parseWorkflowInput } from './workflow-input';
import { ONE_REPLY_NORMALISER_PATCH, wireReminderHandlers } from './reminder/reminder-handlers';
import { ReminderRun } from './reminder/reminder-run';
import { LEAN_REMINDER_SEND_PATCH, sendReminder } from './reminder/send-reminder';

const MINUTE = 60_000;

/**
 * Reminds a customer of one appointment: a series of SMS and e-mails at offsets before it, each
 * placed inside the calling window (moved earlier, never later) and asked of the contact policy
 * again right before it goes out. The booking system moves or cancels the series by signal; the
 * customer confirms, cancels or asks for another time by SMS reply ("C", "N", "R") or by a signed
 * link in the e-mail. Confirming stops the reminders that only chased the confirmation. Ends at the
 * appointment time with the outcome.
 *
 * The series' state is a `ReminderRun` (workflows/reminder/reminder-run.ts), its handlers are wired
 * in reminder-handlers.ts, one reminder is sent by send-reminder.ts.
 */
export async function appointmentReminder(rawInput: AppointmentReminderInput): Promise<ReminderStatus> {
  // The patches the first workflow task asks, before the input's local activity (workflow-input.ts).
  const input = await parseWorkflowInput('appointmentReminder', rawInput, () => {
    patched(LEAN_REMINDER_SEND_PATCH);
    patched(ONE_REPLY_NORMALISER_PATCH);
  });
  const run = new ReminderRun(input, patched(LEAN_REMINDER_SEND_PATCH));
  const { contact } = run;
  wireReminderHandlers(run);

  upsertSearchAttributes([
    { key: searchAttributes.Kind, value: 'reminder' },
    { key: searchAttributes.Customer, value: input.customerKey },
  ]);
  if (
    contact.phone !== undefined &&
    contact.timeZone === undefined &&
    contact.candidateTimeZones.length === 0
  ) {
    contact.candidateTimeZones = await localDecisions.zonesForNumber(contact.phone);
  }

  series: for (;;) {
    if (run.cancelled !== undefined) break;
    if (run.atMs <= Date.now()) {
      if (run.version === 0 && run.timeline.entries.length === 0) {
        run.outcome = 'past-appointment';
        run.note('rejected', 'the appointment time has passed');
      }
      break;
    }
    const planVersion = run.version;
    run.setState('planning');
    const plan = await localDecisions.planReminderSeries({
      appointmentId: input.appointmentId,
      appointmentAt: new Date(run.atMs).toISOString(),
      now: new Date(Date.now()).toISOString(),
      contact,
      offsets: input.offsets,
      maxEarlierHours: input.maxEarlierHours,
      locale: input.locale,
    });
    if (run.version !== planVersion) continue;
    run.reminders = plan.reminders.map((reminder) => ({ ...reminder }));
    run.note('planned', run.reminders.map((r) => `${r.label}@${r.dueAt ?? r.skipped?.reason}`).join(', '));
    run.setState(
      run.confirmed ? 'confirmed' : run.rescheduleRequested ? 'reschedule-requested' : 'scheduled',
    );

    const agentCallAt =
      input.agentCallHoursBefore === undefined
        ? undefined
        : run.atMs - input.agentCallHoursBefore * 60 * MINUTE;
    const steps = [
      ...run.reminders.flatMap((reminder) =>
        reminder.dueAt === undefined ? [] : [{ dueMs: Date.parse(reminder.dueAt), reminder }],
      ),
      ...(agentCallAt !== undefined && agentCallAt > Date.now()
        ? [{ dueMs: agentCallAt, reminder: undefined }]
        : []),
    ].sort((a, b) => a.dueMs - b.dueMs);

    for (const step of steps) {
      run.showDue(step.dueMs);
      if (await run.interrupted(planVersion, step.dueMs)) continue series;
      if (step.reminder !== undefined) {
        await sendReminder(run, step.reminder, plan, planVersion);
      } else if (!run.confirmed && !run.agentCallRequested) {
        await requestAgentCall(run);
      }
      if (run.version !== planVersion || run.cancelled !== undefined) continue series;
    }
    run.showDue(run.atMs);
    if (await run.interrupted(planVersion, run.atMs)) continue;
    break;
  }
  return finishSeries(run);
}

/** Still unconfirmed this close to the appointment: an agent calls the customer. */
async function requestAgentCall(run: ReminderRun): Promise<void> {
  const { input } = run;
  run.agentCallRequested = true;
  run.note('agent-call-requested', `unconfirmed ${input.agentCallHoursBefore} h before`);
  run.setState('agent-call-requested');
  // The call itself is the callback flow's: a callback for the customer, due now, that expires
  // with the appointment. Runs recorded before it existed replay without it.
  if (input.agentCall !== undefined && patched('reminder-agent-call-callback')) {
    await callbackStarter.startOrJoinCallback({
      workflowId: input.agentCall.callbackWorkflowId,
      request: {
        ...input.agentCall.request,
        requestedAt: new Date().toISOString(),
        ttlHours: Math.max(1, Math.ceil((run.atMs - Date.now()) / (60 * MINUTE))),
      },
    });
    run.note('agent-call-started', `callback ${input.agentCall.callbackWorkflowId}`);
  }
}

/** The appointment is here (or the series was cancelled): the outcome, shown, released and recorded. */
async function finishSeries(run: ReminderRun): Promise<ReminderStatus> {
  const { cancelled, workflowId } = run;
  for (const reminder of run.reminders) {
    if (reminder.sentAt === undefined && reminder.skipped === undefined && reminder.failed === undefined) {
      if (cancelled !== undefined) run.skip(reminder, 'cancelled', cancelled.reason);
      else run.skip(reminder, 'cannot-deliver-in-time', 'not sent before the appointment');
    }
  }
  const outcome = (run.outcome ??=
    cancelled !== undefined
      ? cancelled.byCustomer
        ? 'cancelled-by-customer'
        : 'cancelled'
      : run.confirmed
        ? 'confirmed'
        : run.rescheduleRequested
          ? 'reschedule-requested'
          : 'unconfirmed');
  upsertSearchAttributes([{ key: searchAttributes.Outcome, value: outcome }]);
  // Over: a later reply is for nobody here. Runs recorded before this replay without it.
  if (patched('release-reply-waits')) await callbackQueue.releaseReplyWaits({ workflowId });
  if (patched('record-reminder-outcome')) {
    try {
      await runReports.recordReminderOutcome({
        workflowId,
        runId: workflowInfo().runId,
        appointmentId: run.input.appointmentId,
        appointmentAtMs: run.atMs,
        outcome,
        remindersSent: run.reminders.filter((reminder) => reminder.sentAt !== undefined).length,
        closedAtMs: Date.now(),
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      // A report row is not worth failing the series over: the timeline says it is missing.
      run.note('kpi-not-recorded');
    }
  }
  run.setState('done');
  run.note('done', outcome);
  return run.status();
}
