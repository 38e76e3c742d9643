import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReminderSeriesPlan } from '../activities/reminders/plan-reminder-series';
import { ChannelFailure } from '../domain/channel-failures';
import {
  appointmentReminderInputSchema,
  classifyReminderReply,
  type AppointmentReminderInput,
  type ReminderSkipReason,
} from '../domain/reminders';
import { deliveryStatusSignal, inboundReplySignal } from './channel-signals';
import {
  cancelReminderSignal,
  reminderResponseSignal,
  reminderStatusQuery,
  rescheduleReminderSignal,
  type ReminderOutcome,
  type ReminderProgress,
  type ReminderState,
  type ReminderStatus,
  type TimelineEntry,
} from './reminder-signals';
import { channelProxies } from './channel-proxies';
import { searchAttributes } from './search-attributes';
import { parseWorkflowInput } from './workflow-input';
import { attemptKeyPrefix } from './attempt-keys';
import { isHeld } from './held-send';
import type { HeldSend } from '../activities/channels/contact-gate';

const MINUTE = 60_000;
/** The longest reply route sendSms accepts (60 days); a reply after that is not routed. */
const MAX_REPLY_MINUTES = 60 * 24 * 60;

/**
 * Reminds a customer of one appointment: a series of SMS and e-mails at offsets before it, each
 * placed inside the calling window (moved earlier, never later) and asked of the contact policy
 * again right before it goes out. The booking system moves or cancels the series by signal; the
 * customer confirms, cancels or asks for another time by SMS reply ("C", "N", "R") or by a signed
 * link in the e-mail. Confirming stops the reminders that only chased the confirmation. Ends at the
 * appointment time with the outcome.
 */
export async function appointmentReminder(rawInput: AppointmentReminderInput): Promise<ReminderStatus> {
  const input = parseWorkflowInput(appointmentReminderInputSchema, rawInput, 'appointmentReminder');
  const { workflowId, taskQueue } = workflowInfo();
  const beforeOneNormaliser = !patched('one-reply-normaliser');
  const policy = proxyLocalActivities<Activities>({ startToCloseTimeout: '10s' });
  const { sms, email } = channelProxies(taskQueue);
  const callbacks = proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });
  // A few tries only: a report row is not worth holding a finished series open.
  const kpi = proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
  });

  let atMs = Date.parse(input.at);
  let version = 0;
  let confirmed = false;
  let rescheduleRequested = false;
  let agentCallRequested = false;
  let cancelled: { byCustomer: boolean; reason: string } | undefined;
  let state: ReminderState = 'planning';
  let outcome: ReminderOutcome | undefined;
  let reminders: ReminderProgress[] = [];
  const timeline: TimelineEntry[] = [];
  const contact = { ...input.contact };

  const note = (event: string, detail?: string): void => {
    timeline.push({ at: new Date(Date.now()).toISOString(), event, ...(detail ? { detail } : {}) });
  };
  const setState = (next: ReminderState): void => {
    state = next;
    upsertSearchAttributes([{ key: searchAttributes.State, value: next }]);
    // Not encrypted: an id and a time, never an address.
    upsertMemo({ summary: `appointment ${input.appointmentId} at ${new Date(atMs).toISOString()}: ${next}` });
  };
  const skip = (reminder: ReminderProgress, reason: ReminderSkipReason, detail: string): void => {
    reminder.skipped = { reason, detail };
    note('reminder-skipped', `${reminder.label}: ${reason}`);
  };
  const respond = (action: 'confirm' | 'cancel' | 'reschedule', via: string): void => {
    if (cancelled !== undefined || outcome !== undefined) return;
    if (action === 'confirm') {
      if (!confirmed) note('confirmed', `by ${via}`);
      confirmed = true;
      rescheduleRequested = false;
      setState('confirmed');
    } else if (action === 'cancel') {
      cancelled = { byCustomer: true, reason: `cancelled by the customer (${via})` };
      note('cancelled-by-customer', via);
    } else {
      // An agent calls to agree a new time; the booking system then signals the reschedule.
      rescheduleRequested = true;
      confirmed = false;
      agentCallRequested = true;
      note('reschedule-requested', `by ${via}; agent call task recorded`);
      setState('reschedule-requested');
    }
  };

  setHandler(reminderStatusQuery, () => ({
    appointmentId: input.appointmentId,
    appointmentAt: new Date(atMs).toISOString(),
    state,
    ...(outcome ? { outcome } : {}),
    confirmed,
    agentCallRequested,
    reminders,
    timeline,
  }));
  setHandler(rescheduleReminderSignal, ({ at }) => {
    const next = Date.parse(at);
    if (Number.isNaN(next) || next <= Date.now()) {
      // The client refuses these before signalling; a raw signal cannot, so it is noted and ignored.
      note('reschedule-ignored', `${at} is not a future instant`);
      return;
    }
    atMs = next;
    version += 1;
    // A new time needs a new confirmation.
    confirmed = false;
    rescheduleRequested = false;
    note('rescheduled', new Date(next).toISOString());
  });
  setHandler(cancelReminderSignal, ({ reason }) => {
    if (cancelled !== undefined) return;
    cancelled = { byCustomer: false, reason: reason ?? 'cancelled by the booking system' };
    note('cancelled', cancelled.reason);
  });
  setHandler(reminderResponseSignal, ({ action, via, forAtMs }) => {
    if (forAtMs !== undefined && forAtMs !== atMs) {
      note('stale-link-ignored', `${action} for ${new Date(forAtMs).toISOString()}`);
      return;
    }
    respond(action, via);
  });
  setHandler(inboundReplySignal, (reply) => {
    const intent = classifyReminderReply(reply.body, { beforeOneNormaliser });
    // The reply's text stays out of the timeline: customers write anything in it.
    if (intent === 'unknown') note('reply-not-understood');
    else respond(intent, 'sms');
  });
  setHandler(deliveryStatusSignal, (status) => {
    const reminder = reminders.find((r) => r.providerId === status.providerId);
    if (reminder !== undefined) reminder.deliveryStatus = status.status;
  });

  upsertSearchAttributes([
    { key: searchAttributes.Kind, value: 'reminder' },
    { key: searchAttributes.Customer, value: input.customerKey },
  ]);
  if (
    contact.phone !== undefined &&
    contact.timeZone === undefined &&
    contact.candidateTimeZones.length === 0
  ) {
    contact.candidateTimeZones = await policy.zonesForNumber(contact.phone);
  }

  // Waits until `untilMs` unless the plan changes (reschedule, cancel); true when it changed.
  const interrupted = async (planVersion: number, untilMs: number): Promise<boolean> => {
    const changed = () => version !== planVersion || cancelled !== undefined;
    if (changed()) return true;
    if (untilMs <= Date.now()) return false;
    return condition(changed, untilMs - Date.now());
  };

  const send = async (reminder: ReminderProgress, plan: ReminderSeriesPlan, planVersion: number) => {
    if (confirmed && reminder.whenConfirmed === 'skip')
      return skip(reminder, 'confirmed', 'the customer had confirmed');
    if (rescheduleRequested)
      return skip(reminder, 'reschedule-requested', 'the customer asked for another time');
    // The channel's final decision held the send back (the window closed while it waited for its
    // pacing slot): wait and ask again (true), or give this reminder up (false).
    const tryAgainAfter = async (held: HeldSend): Promise<boolean> => {
      if (held.verdict === 'never') {
        skip(reminder, 'not-allowed', held.message);
        return false;
      }
      if (held.verdict === 'expired' || held.untilEpochMs >= atMs) {
        skip(reminder, 'cannot-deliver-in-time', held.message);
        return false;
      }
      return !(await interrupted(planVersion, held.untilEpochMs));
    };
    attempt: for (;;) {
      for (;;) {
        const decision = await policy.decideContact({
          contact,
          channel: reminder.channel,
          purpose: 'reminder',
          outreachId: workflowId,
          now: new Date(Date.now()).toISOString(),
        });
        if (decision.verdict === 'allowed') break;
        if (decision.verdict === 'never') return skip(reminder, 'not-allowed', `${decision.reason}`);
        if (decision.untilEpochMs >= atMs) return skip(reminder, 'cannot-deliver-in-time', decision.reason);
        if (await interrupted(planVersion, decision.untilEpochMs)) return;
      }
      setState('sending');
      const asks = !confirmed;
      const common = {
        // The plan version restarts with every run: the run id keeps a later run's reminders its own.
        attemptKey: `${attemptKeyPrefix()}/${planVersion}/${reminder.key}`,
        workflowId,
        customerKey: input.customerKey,
        purpose: 'reminder',
        category: 'service',
        // Asked again right before the provider call; a reminder after its appointment is no use.
        check: { contact, notAfter: new Date(atMs).toISOString() },
      } as const;
      const variables = { company: input.company, when: plan.when };
      try {
        if (reminder.channel === 'sms') {
          if (contact.phone === undefined) return skip(reminder, 'not-allowed', 'no phone number');
          const sent = await sms.sendSms({
            ...common,
            to: contact.phone,
            content: {
              template: asks ? 'sms.reminder.confirm' : 'sms.reminder.upcoming',
              locale: input.locale,
              variables,
            },
            // Replies belong to this appointment until it starts.
            ...(asks
              ? {
                  expectReplyForMinutes: Math.min(
                    MAX_REPLY_MINUTES,
                    Math.max(1, Math.ceil((atMs - Date.now()) / MINUTE)),
                  ),
                }
              : {}),
          });
          if (isHeld(sent)) {
            if (await tryAgainAfter(sent)) continue attempt;
            return;
          }
          reminder.providerId = sent.messageSid;
        } else {
          if (contact.email === undefined) return skip(reminder, 'not-allowed', 'no e-mail address');
          const links = asks ? plan.links : undefined;
          const sent = await email.sendEmail({
            ...common,
            to: contact.email,
            content: links
              ? {
                  template: 'email.reminder.confirm',
                  locale: input.locale,
                  variables: {
                    ...variables,
                    confirmLink: links.confirm,
                    cancelLink: links.cancel,
                    rescheduleLink: links.reschedule,
                  },
                }
              : { template: 'email.reminder.upcoming', locale: input.locale, variables },
          });
          if (isHeld(sent)) {
            if (await tryAgainAfter(sent)) continue attempt;
            return;
          }
          reminder.providerId = sent.messageId;
        }
        reminder.sentAt = new Date(Date.now()).toISOString();
        note('reminder-sent', reminder.label);
      } catch (error) {
        // One reminder failing (bad number, provider down for good) does not end the series.
        const type =
          error instanceof ActivityFailure && error.cause instanceof ApplicationFailure
            ? (error.cause.type ?? 'failed')
            : 'failed';
        reminder.failed = type === ChannelFailure.InvalidRecipient ? 'invalid-recipient' : type;
        note('reminder-failed', `${reminder.label}: ${reminder.failed}`);
      }
      setState(confirmed ? 'confirmed' : 'scheduled');
      return;
    }
  };

  series: for (;;) {
    if (cancelled !== undefined) break;
    if (atMs <= Date.now()) {
      if (version === 0 && timeline.length === 0) {
        outcome = 'past-appointment';
        note('rejected', 'the appointment time has passed');
      }
      break;
    }
    const planVersion = version;
    setState('planning');
    const plan = await policy.planReminderSeries({
      appointmentId: input.appointmentId,
      appointmentAt: new Date(atMs).toISOString(),
      now: new Date(Date.now()).toISOString(),
      contact,
      offsets: input.offsets,
      maxEarlierHours: input.maxEarlierHours,
      locale: input.locale,
    });
    if (version !== planVersion) continue;
    reminders = plan.reminders.map((reminder) => ({ ...reminder }));
    note('planned', reminders.map((r) => `${r.label}@${r.dueAt ?? r.skipped?.reason}`).join(', '));
    setState(confirmed ? 'confirmed' : rescheduleRequested ? 'reschedule-requested' : 'scheduled');

    const agentCallAt =
      input.agentCallHoursBefore === undefined ? undefined : atMs - input.agentCallHoursBefore * 60 * MINUTE;
    const steps = [
      ...reminders.flatMap((reminder) =>
        reminder.dueAt === undefined ? [] : [{ dueMs: Date.parse(reminder.dueAt), reminder }],
      ),
      ...(agentCallAt !== undefined && agentCallAt > Date.now()
        ? [{ dueMs: agentCallAt, reminder: undefined }]
        : []),
    ].sort((a, b) => a.dueMs - b.dueMs);

    for (const step of steps) {
      upsertSearchAttributes([{ key: searchAttributes.DueAt, value: new Date(step.dueMs) }]);
      if (await interrupted(planVersion, step.dueMs)) continue series;
      if (step.reminder !== undefined) {
        await send(step.reminder, plan, planVersion);
      } else if (!confirmed && !agentCallRequested) {
        agentCallRequested = true;
        note('agent-call-requested', `unconfirmed ${input.agentCallHoursBefore} h before`);
        setState('agent-call-requested');
        // The call itself is the callback flow's: a callback for the customer, due now, that expires
        // with the appointment. Runs recorded before it existed replay without it.
        if (input.agentCall !== undefined && patched('reminder-agent-call-callback')) {
          await callbacks.startOrJoinCallback({
            workflowId: input.agentCall.callbackWorkflowId,
            request: {
              ...input.agentCall.request,
              requestedAt: new Date().toISOString(),
              ttlHours: Math.max(1, Math.ceil((atMs - Date.now()) / (60 * MINUTE))),
            },
          });
          note('agent-call-started', `callback ${input.agentCall.callbackWorkflowId}`);
        }
      }
      if (version !== planVersion || cancelled !== undefined) continue series;
    }
    upsertSearchAttributes([{ key: searchAttributes.DueAt, value: new Date(atMs) }]);
    if (await interrupted(planVersion, atMs)) continue;
    break;
  }

  for (const reminder of reminders) {
    if (reminder.sentAt === undefined && reminder.skipped === undefined && reminder.failed === undefined) {
      if (cancelled !== undefined) skip(reminder, 'cancelled', cancelled.reason);
      else skip(reminder, 'cannot-deliver-in-time', 'not sent before the appointment');
    }
  }
  outcome ??=
    cancelled !== undefined
      ? cancelled.byCustomer
        ? 'cancelled-by-customer'
        : 'cancelled'
      : confirmed
        ? 'confirmed'
        : rescheduleRequested
          ? 'reschedule-requested'
          : 'unconfirmed';
  upsertSearchAttributes([{ key: searchAttributes.Outcome, value: outcome }]);
  // Over: a later reply is for nobody here. Runs recorded before this replay without it.
  if (patched('release-reply-waits')) await callbacks.releaseReplyWaits({ workflowId });
  if (patched('record-reminder-outcome')) {
    try {
      await kpi.recordReminderOutcome({
        workflowId,
        runId: workflowInfo().runId,
        appointmentId: input.appointmentId,
        appointmentAtMs: atMs,
        outcome,
        remindersSent: reminders.filter((reminder) => reminder.sentAt !== undefined).length,
        closedAtMs: Date.now(),
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      // A report row is not worth failing the series over: the timeline says it is missing.
      note('kpi-not-recorded');
    }
  }
  setState('done');
  note('done', outcome);
  return {
    appointmentId: input.appointmentId,
    appointmentAt: new Date(atMs).toISOString(),
    state,
    outcome,
    confirmed,
    agentCallRequested,
    reminders,
    timeline,
  };
}
