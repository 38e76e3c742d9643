import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';

// A type alias, not an interface: `withTables` needs an index-signature-compatible type.
type OutcomeTables = {
  reminder_outcomes: {
    workflow_id: string;
    run_id: string;
    appointment_id: string;
    appointment_at: number;
    outcome: string;
    reminders_sent: number;
    closed_at: number;
  };
};

export const reminderOutcomeSchema = z.object({
  workflowId: z.string().min(1).max(1000),
  runId: z.string().min(1).max(200),
  appointmentId: z.string().min(1).max(200),
  /** The appointment's final time (after any reschedule). Epoch ms. */
  appointmentAtMs: z.number().int().nonnegative(),
  /** workflows/reminder-signals.ts `ReminderOutcome`. */
  outcome: z.string().min(1).max(50),
  remindersSent: z.number().int().nonnegative(),
  closedAtMs: z.number().int().nonnegative(),
});
export type ReminderOutcomeRow = z.output<typeof reminderOutcomeSchema>;

/** One row per finished appointment-reminder run (migration 0010): what the KPIs read of reminders. */
export function createReminderOutcomes(storeDb: StoreDatabase) {
  const db: Kysely<StoreTables & OutcomeTables> = storeDb.withTables<OutcomeTables>();
  return {
    /** Records a finished reminder run once: a retried activity writes nothing new. */
    async recordReminderOutcome(input: z.input<typeof reminderOutcomeSchema>): Promise<boolean> {
      const row = reminderOutcomeSchema.parse(input);
      const result = await db
        .insertInto('reminder_outcomes')
        .values({
          workflow_id: row.workflowId,
          run_id: row.runId,
          appointment_id: row.appointmentId,
          appointment_at: row.appointmentAtMs,
          outcome: row.outcome,
          reminders_sent: row.remindersSent,
          closed_at: row.closedAtMs,
        })
        .onConflict((conflict) => conflict.columns(['workflow_id', 'run_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** Reminder runs whose appointment falls in [fromMs, toMs). */
    async reminderOutcomes(fromMs: number, toMs: number): Promise<ReminderOutcomeRow[]> {
      const rows = await db
        .selectFrom('reminder_outcomes')
        .selectAll()
        .where('appointment_at', '>=', fromMs)
        .where('appointment_at', '<', toMs)
        .orderBy('appointment_at')
        .execute();
      return rows.map((row) => ({
        workflowId: row.workflow_id,
        runId: row.run_id,
        appointmentId: row.appointment_id,
        appointmentAtMs: Number(row.appointment_at),
        outcome: row.outcome,
        remindersSent: Number(row.reminders_sent),
        closedAtMs: Number(row.closed_at),
      }));
    },
  };
}
