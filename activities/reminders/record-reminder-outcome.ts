import type { ContactStore } from '../../store';
import type { ReminderOutcomeRow } from '../../store/reminder-outcomes';

/** A finished reminder run's row for the KPIs (store table `reminder_outcomes`); idempotent per run. */
export function createRecordReminderOutcome(deps: { store: Pick<ContactStore, 'recordReminderOutcome'> }) {
  return async function recordReminderOutcome(row: ReminderOutcomeRow): Promise<boolean> {
    return deps.store.recordReminderOutcome(row);
  };
}
