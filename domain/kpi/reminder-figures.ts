/** One finished appointment-reminder run (store table `reminder_outcomes`). */
export interface ReminderRun {
  appointmentId: string;
  appointmentAtMs: number;
  /** workflows/reminder-signals.ts `ReminderOutcome`. */
  outcome: string;
  remindersSent: number;
}

// A type alias, not an interface: the API's loose response schema needs an index-compatible type.
export type ReminderFigures = {
  /** Appointments whose time fell in the period (one run each; a rebooked one counts once). */
  appointments: number;
  confirmed: number;
  /** The customer asked for another time (R): an agent call was requested. */
  rescheduled: number;
  /** By the customer (N, the link) or the booking system. */
  cancelled: number;
  cancelledByCustomer: number;
  /** Reminded, no answer before the appointment. */
  unanswered: number;
  /** Booked for a time already past: nothing was sent. */
  pastAppointment: number;
  remindersSent: number;
  /** Shares of appointments; null without any. */
  confirmedShare: number | null;
  unansweredShare: number | null;
};

/** Reminders: confirmed / rescheduled / cancelled / unanswered per appointment. */
export function reminderFigures(runs: readonly ReminderRun[]): ReminderFigures {
  // A run per appointment id; a workflow id reused for the same appointment counts its last run.
  const byAppointment = new Map<string, ReminderRun>();
  for (const run of runs) byAppointment.set(run.appointmentId, run);
  const appointments = [...byAppointment.values()];
  const count = (...outcomes: string[]): number =>
    appointments.filter((run) => outcomes.includes(run.outcome)).length;
  const share = (part: number): number | null =>
    appointments.length === 0 ? null : part / appointments.length;
  const confirmed = count('confirmed');
  const unanswered = count('unconfirmed');
  return {
    appointments: appointments.length,
    confirmed,
    rescheduled: count('reschedule-requested'),
    cancelled: count('cancelled', 'cancelled-by-customer'),
    cancelledByCustomer: count('cancelled-by-customer'),
    unanswered,
    pastAppointment: count('past-appointment'),
    remindersSent: appointments.reduce((sum, run) => sum + run.remindersSent, 0),
    confirmedShare: share(confirmed),
    unansweredShare: share(unanswered),
  };
}
