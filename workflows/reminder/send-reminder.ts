import { workflowInfo } from '@temporalio/workflow';
import type { HeldSend } from '../../activities/channels/contact-gate';
import type { ReminderSeriesPlan } from '../../activities/reminders/plan-reminder-series';
import { ChannelFailure } from '../../domain/channel-failures';
import { activityFailure } from '../activity-failure';
import { channelProxies, localDecisions } from '../activity-proxies';
import { attemptKeyPrefix } from '../attempt-keys';
import { isHeld } from '../held-send';
import type { ReminderProgress } from '../reminder-signals';
import type { ReminderRun } from './reminder-run';

const MINUTE = 60_000;
/** The longest reply route sendSms accepts (60 days); a reply after that is not routed. */
const MAX_REPLY_MINUTES = 60 * 24 * 60;

/**
 * Sends one reminder of the plan when the contact policy allows it (asked again right before the
 * provider call), unless the customer's answer made it pointless; a reminder that cannot go before
 * the appointment is skipped, one that fails is recorded: neither ends the series.
 */
export async function sendReminder(
  run: ReminderRun,
  reminder: ReminderProgress,
  plan: ReminderSeriesPlan,
  planVersion: number,
): Promise<void> {
  const { input, contact, workflowId } = run;
  const { sms, email } = channelProxies(workflowInfo().taskQueue);
  if (run.confirmed && reminder.whenConfirmed === 'skip')
    return run.skip(reminder, 'confirmed', 'the customer had confirmed');
  if (run.rescheduleRequested)
    return run.skip(reminder, 'reschedule-requested', 'the customer asked for another time');
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
  attempt: for (;;) {
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
    const asks = !run.confirmed;
    const common = {
      // The plan version restarts with every run: the run id keeps a later run's reminders its own.
      attemptKey: `${attemptKeyPrefix()}/${planVersion}/${reminder.key}`,
      workflowId,
      customerKey: input.customerKey,
      purpose: 'reminder',
      category: 'service',
      // Asked again right before the provider call; a reminder after its appointment is no use.
      check: { contact, notAfter: new Date(run.atMs).toISOString() },
    } as const;
    const variables = { company: input.company, when: plan.when };
    try {
      if (reminder.channel === 'sms') {
        if (contact.phone === undefined) return run.skip(reminder, 'not-allowed', 'no phone number');
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
        if (isHeld(sent)) {
          if (await tryAgainAfter(sent)) continue attempt;
          return;
        }
        reminder.providerId = sent.messageSid;
      } else {
        if (contact.email === undefined) return run.skip(reminder, 'not-allowed', 'no e-mail address');
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
      run.note('reminder-sent', reminder.label);
    } catch (error) {
      // One reminder failing (bad number, provider down for good) does not end the series.
      const type = activityFailure(error)?.type ?? 'failed';
      reminder.failed = type === ChannelFailure.InvalidRecipient ? 'invalid-recipient' : type;
      run.note('reminder-failed', `${reminder.label}: ${reminder.failed}`);
    }
    run.setState(run.confirmed ? 'confirmed' : 'scheduled');
    return;
  }
}
