import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { appointmentReminderInputSchema, ReminderSkipReason } from '../../domain/reminders';
import type { Contact } from '../../domain/policy';
import type { ReminderOutcome, ReminderProgress, ReminderState, ReminderStatus } from '../reminder-signals';
import { showRun, Timeline } from '../run-state';
import { searchAttributes } from '../search-attributes';

/** The parsed input of an appointment reminder. */
export type ReminderInput = z.output<typeof appointmentReminderInputSchema>;

/**
 * Everything one reminder series knows: the appointment's time (moved by the booking system), the
 * customer's answers, the current plan's reminders and the timeline. Handlers and steps read and
 * write these fields; the methods show them to people.
 */
export class ReminderRun {
  readonly workflowId = workflowInfo().workflowId;
  atMs: number;
  /** Bumped by every reschedule: a plan made for an older version is dropped. */
  version = 0;
  confirmed = false;
  rescheduleRequested = false;
  agentCallRequested = false;
  cancelled: { byCustomer: boolean; reason: string } | undefined;
  state: ReminderState = 'planning';
  outcome: ReminderOutcome | undefined;
  reminders: ReminderProgress[] = [];
  readonly timeline = new Timeline();
  readonly contact: Contact;

  /**
   * @param leanSends the run asks the contact policy once per send, at the moment of contact, and
   *   leaves State alone while sending (send-reminder.ts); false for runs recorded before that.
   */
  constructor(
    readonly input: ReminderInput,
    readonly leanSends: boolean,
  ) {
    this.atMs = Date.parse(input.at);
    this.contact = { ...input.contact };
  }

  /** An event on the timeline; the customer's own words never go there. */
  note(event: string, detail?: string): void {
    this.timeline.add(event, detail ? { detail } : {});
  }

  /** Moves to `next` and shows it (not encrypted: an id and a time, never an address). */
  setState(next: ReminderState): void {
    this.state = next;
    showRun(
      [{ key: searchAttributes.State, value: next }],
      `appointment ${this.input.appointmentId} at ${new Date(this.atMs).toISOString()}: ${next}`,
    );
  }

  /** Shows when the next reminder (or the appointment) is due. */
  showDue(dueMs: number): void {
    upsertSearchAttributes([{ key: searchAttributes.DueAt, value: new Date(dueMs) }]);
  }

  skip(reminder: ReminderProgress, reason: ReminderSkipReason, detail: string): void {
    reminder.skipped = { reason, detail };
    this.note('reminder-skipped', `${reminder.label}: ${reason}`);
  }

  /** The customer's answer, by SMS reply, signed link or an agent. */
  respond(action: 'confirm' | 'cancel' | 'reschedule', via: string): void {
    if (this.cancelled !== undefined || this.outcome !== undefined) return;
    if (action === 'confirm') {
      if (!this.confirmed) this.note('confirmed', `by ${via}`);
      this.confirmed = true;
      this.rescheduleRequested = false;
      this.setState('confirmed');
    } else if (action === 'cancel') {
      this.cancelled = { byCustomer: true, reason: `cancelled by the customer (${via})` };
      this.note('cancelled-by-customer', via);
    } else {
      // An agent calls to agree a new time; the booking system then signals the reschedule.
      this.rescheduleRequested = true;
      this.confirmed = false;
      this.agentCallRequested = true;
      this.note('reschedule-requested', `by ${via}; agent call task recorded`);
      this.setState('reschedule-requested');
    }
  }

  /** Waits until `untilMs` unless the plan changes (reschedule, cancel); true when it changed. */
  async interrupted(planVersion: number, untilMs: number): Promise<boolean> {
    const changed = () => this.version !== planVersion || this.cancelled !== undefined;
    if (changed()) return true;
    if (untilMs <= Date.now()) return false;
    return condition(changed, untilMs - Date.now());
  }

  /** What the status query answers (and the run returns). */
  status(): ReminderStatus {
    return {
      appointmentId: this.input.appointmentId,
      appointmentAt: new Date(this.atMs).toISOString(),
      state: this.state,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      confirmed: this.confirmed,
      agentCallRequested: this.agentCallRequested,
      reminders: this.reminders,
      timeline: this.timeline.entries,
    };
  }
}
