import { patched, setHandler } from '@temporalio/workflow';
import { classifyReminderReply } from '../../domain/reminders/reply-intent';
import { deliveryStatusSignal, inboundReplySignal } from '../channel-signals';
import {
  cancelReminderSignal,
  reminderResponseSignal,
  reminderStatusQuery,
  rescheduleReminderSignal,
} from '../reminder-signals';
import type { ReminderRun } from './reminder-run';

/** SMS replies read with the one normaliser (domain/replies/normalise-reply.ts). */
export const ONE_REPLY_NORMALISER_PATCH = 'one-reply-normaliser';

/** Wires the series' query and signals to its run: the booking system's, the customer's, the provider's. */
export function wireReminderHandlers(run: ReminderRun): void {
  // SMS replies are read with the one normaliser (accents, punctuation); runs started before, as they were.
  const beforeOneNormaliser = !patched(ONE_REPLY_NORMALISER_PATCH);
  setHandler(reminderStatusQuery, () => run.status());
  setHandler(rescheduleReminderSignal, ({ at }) => {
    const next = Date.parse(at);
    if (Number.isNaN(next) || next <= Date.now()) {
      // The client refuses these before signalling; a raw signal cannot, so it is noted and ignored.
      run.note('reschedule-ignored', `${at} is not a future instant`);
      return;
    }
    run.atMs = next;
    run.version += 1;
    // A new time needs a new confirmation.
    run.confirmed = false;
    run.rescheduleRequested = false;
    run.note('rescheduled', new Date(next).toISOString());
  });
  setHandler(cancelReminderSignal, ({ reason }) => {
    if (run.cancelled !== undefined) return;
    run.cancelled = { byCustomer: false, reason: reason ?? 'cancelled by the booking system' };
    run.note('cancelled', run.cancelled.reason);
  });
  setHandler(reminderResponseSignal, ({ action, via, forAtMs }) => {
    if (forAtMs !== undefined && forAtMs !== run.atMs) {
      run.note('stale-link-ignored', `${action} for ${new Date(forAtMs).toISOString()}`);
      return;
    }
    run.respond(action, via);
  });
  setHandler(inboundReplySignal, (reply) => {
    const intent = classifyReminderReply(reply.body, { beforeOneNormaliser });
    // The reply's text stays out of the timeline: customers write anything in it.
    if (intent === 'unknown') run.note('reply-not-understood');
    else run.respond(intent, 'sms');
  });
  setHandler(deliveryStatusSignal, (status) => {
    const reminder = run.reminders.find((r) => r.providerId === status.providerId);
    if (reminder !== undefined) reminder.deliveryStatus = status.status;
  });
}
