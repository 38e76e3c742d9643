import { workflowInfo } from '@temporalio/workflow';
import type { HeldSend } from '../../activities/channels/contact-gate';
import type { ReminderSeriesPlan } from '../../activities/reminders/plan-reminder-series';
import { ChannelFailure } from '../../domain/channel-failures';
import { activityFailure } from '../activity-failure';
import { channelProxies, localDecisions } from '../activity-proxies';
import { attemptKeyPrefix, runAttemptKeyPrefix } from '../attempt-keys';
import { isHeld } from '../held-send';
import type { ReminderProgress } from '../reminder-signals';
import type { ReminderRun } from './reminder-run';

const MINUTE = 60_000;
/** The longest reply route sendSms accepts (60 days); a reply after that is not routed. */
const MAX_REPLY_MINUTES = 60 * 24 * 60;

/**
 * The patch behind sends that ask the contact policy once and leave State alone. Asked once, at the
 * run's start (not at its first send), so its marker and TemporalChangeVersion update land in the
 * first workflow task, not in the one that sends; a run keeps one shape for life.
 */
export const LEAN_REMINDER_SEND_PATCH = 'lean-reminder-send';

/**
 * Sends one reminder of the plan when the contact policy allows it, unless the customer's answer
 * made it pointless; a reminder that cannot go before the appointment is skipped, one that fails is
 * recorded: neither ends the series.
 *
 * A run started with patched('lean-reminder-send') (`run.leanSends`) asks the policy once, in the
 * channel activity at the moment of contact, and leaves State as it is; older runs ask it first in a
 * local activity and show State = "sending" around the provider call, as they were recorded.
 */
export async function sendReminder(
  run: ReminderRun,
  reminder: ReminderProgress,
  plan: ReminderSeriesPlan,
  planVersion: number,
): Promise<void> {
  if (run.confirmed && reminder.whenConfirmed === 'skip')
    return run.skip(reminder, 'confirmed', 'the customer had confirmed');
  if (run.rescheduleRequested)
    return run.skip(reminder, 'reschedule-requested', 'the customer asked for another time');
  if (run.leanSends) return sendAskingAtContact(run, reminder, plan, planVersion);
  return sendAskingTwice(run, reminder, plan, planVersion);
}

/**
 * One question, at the moment of contact: the channel activity's final decision (it reads the
 * store's opt-outs and contact log, and reserves the send's place under the customer's lock) holds a
 * send the policy refuses. Not yet: State "waiting-for-window" and DueAt when it allows, then hand
 * over again. A send itself leaves State where it was ("scheduled" or "confirmed"): it takes well
 * under a second, and the two visibility and memo updates around it ("sending", then back) were
 * most of a send's cost on the Temporal server.
 */
async function sendAskingAtContact(
  run: ReminderRun,
  reminder: ReminderProgress,
  plan: ReminderSeriesPlan,
  planVersion: number,
): Promise<void> {
  // Run-keyed without the older patch's marker: a run this new has it implied.
  const prefix = runAttemptKeyPrefix();
  // Back from a wait for the window (or sent after an agent call was requested): show the series again.
  const settle = (always: boolean) => {
    const next = run.confirmed ? 'confirmed' : 'scheduled';
    if (run.state !== next && (always || run.state === 'waiting-for-window')) run.setState(next);
  };
  for (;;) {
    const handed = await handOver(run, reminder, plan, planVersion, prefix);
    if (handed === 'handed-over') return settle(true);
    if (handed === 'skipped') return settle(false);
    if (handed.verdict === 'never') run.skip(reminder, 'not-allowed', handed.reason);
    else if (handed.verdict === 'expired') run.skip(reminder, 'cannot-deliver-in-time', handed.message);
    else if (handed.untilEpochMs >= run.atMs) run.skip(reminder, 'cannot-deliver-in-time', handed.reason);
    else {
      run.setState('waiting-for-window');
      run.showDue(handed.untilEpochMs);
      if (await run.interrupted(planVersion, handed.untilEpochMs)) return;
      continue;
    }
    return settle(false);
  }
}

/**
 * Runs recorded before patched('lean-reminder-send'): the policy asked in a local activity first
 * (waiting while it says not yet), State = "sending" around the provider call, and the channel
 * activity's final decision asked again.
 */
async function sendAskingTwice(
  run: ReminderRun,
  reminder: ReminderProgress,
  plan: ReminderSeriesPlan,
  planVersion: number,
): Promise<void> {
  const { contact, workflowId } = run;
  // The channel's final decision held the send back (the window closed while it waited for its
  // pacing slot): wait and ask again (true), or give this reminder up (false).
  const tryAgainAfter = async (held: HeldSend): Promise<boolean> => {
    if (held.verdict === 'never') {
      run.skip(reminder, 'not-allowed', held.message);
      return false;
    }
    if (held.verdict === 'expired' || held.untilEpochMs >= run.atMs) {
      run.skip(reminder, 'cannot-deliver-in-time', held.message);
      return false;
    }
    return !(await run.interrupted(planVersion, held.untilEpochMs));
  };
  for (;;) {
    for (;;) {
      const decision = await localDecisions.decideContact({
        contact,
        channel: reminder.channel,
        purpose: 'reminder',
        outreachId: workflowId,
        now: new Date(Date.now()).toISOString(),
      });
      if (decision.verdict === 'allowed') break;
      if (decision.verdict === 'never') return run.skip(reminder, 'not-allowed', `${decision.reason}`);
      if (decision.untilEpochMs >= run.atMs)
        return run.skip(reminder, 'cannot-deliver-in-time', decision.reason);
      if (await run.interrupted(planVersion, decision.untilEpochMs)) return;
    }
    run.setState('sending');
    const handed = await handOver(run, reminder, plan, planVersion, attemptKeyPrefix());
    if (handed === 'skipped') return;
    if (handed === 'handed-over') {
      run.setState(run.confirmed ? 'confirmed' : 'scheduled');
      return;
    }
    if (!(await tryAgainAfter(handed))) return;
  }
}

/**
 * The channel activity's call for one reminder: 'handed-over' when it went to the provider (or
 * failed, recorded on the reminder), 'skipped' when there is no address for its channel (or, in a
 * lean run, the store's opt-out or do-not-contact refused it), or what the final contact decision
 * held it back with (nothing reached the provider; the key stays).
 */
async function handOver(
  run: ReminderRun,
  reminder: ReminderProgress,
  plan: ReminderSeriesPlan,
  planVersion: number,
  prefix: string,
): Promise<'handed-over' | 'skipped' | HeldSend> {
  const { input, contact, workflowId } = run;
  const { sms, email } = channelProxies(workflowInfo().taskQueue);
  const asks = !run.confirmed;
  const common = {
    // The plan version restarts with every run: the run id keeps a later run's reminders its own.
    attemptKey: `${prefix}/${planVersion}/${reminder.key}`,
    workflowId,
    customerKey: input.customerKey,
    purpose: 'reminder',
    category: 'service',
    // Asked right before the provider call; a reminder after its appointment is no use.
    check: { contact, notAfter: new Date(run.atMs).toISOString() },
  } as const;
  const variables = { company: input.company, when: plan.when };
  try {
    if (reminder.channel === 'sms') {
      if (contact.phone === undefined) {
        run.skip(reminder, 'not-allowed', 'no phone number');
        return 'skipped';
      }
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
                Math.max(1, Math.ceil((run.atMs - Date.now()) / MINUTE)),
              ),
            }
          : {}),
      });
      if (isHeld(sent)) return sent;
      reminder.providerId = sent.messageSid;
    } else {
      if (contact.email === undefined) {
        run.skip(reminder, 'not-allowed', 'no e-mail address');
        return 'skipped';
      }
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
      if (isHeld(sent)) return sent;
      reminder.providerId = sent.messageId;
    }
    reminder.sentAt = new Date(Date.now()).toISOString();
    run.note('reminder-sent', reminder.label);
  } catch (error) {
    const failure = activityFailure(error);
    // The store's opt-out or do-not-contact refused it before any provider call: a policy's "never".
    if (run.leanSends && failure?.blocked !== undefined) {
      run.skip(reminder, 'not-allowed', failure.blocked);
      return 'skipped';
    }
    // One reminder failing (bad number, provider down for good) does not end the series.
    const type = failure?.type ?? 'failed';
    reminder.failed = type === ChannelFailure.InvalidRecipient ? 'invalid-recipient' : type;
    run.note('reminder-failed', `${reminder.label}: ${reminder.failed}`);
  }
  return 'handed-over';
}
