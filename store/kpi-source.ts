import type { Kysely } from 'kysely';
import type { KpiSource } from '../domain/kpi';
import { RESERVED_OUTCOME } from './contact-log';
import { createCallbackRuns } from './callback-runs';
import { createProviderReports } from './provider-reports';
import { createReminderOutcomes } from './reminder-outcomes';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';

type ScoreTables = {
  agent_scores: { response_id: string; agent_id: string; score_type: string; score: number; at: number };
};

/**
 * The rows the KPIs of [fromMs, toMs) read: finished callback runs and provider reports (and those up
 * to `afterMs` later, for re-contact and a callback's later sends), logged touches, survey scores,
 * opt-outs and reminder outcomes of the period.
 */
export function createKpiSource(storeDb: StoreDatabase) {
  const db: Kysely<StoreTables & ScoreTables> = storeDb.withTables<ScoreTables>();
  const runs = createCallbackRuns(storeDb);
  const reports = createProviderReports(storeDb);
  const reminders = createReminderOutcomes(storeDb);
  return {
    async kpiSource(fromMs: number, toMs: number, afterMs: number): Promise<KpiSource> {
      const [runRows, touchRows, scoreRows, optOutRows, sendRows, reminderRows] = await Promise.all([
        runs.callbackRunsRequested(fromMs, toMs + afterMs),
        db
          .selectFrom('contact_log')
          .select(['purpose', 'channel', 'at'])
          .where('at', '>=', fromMs)
          .where('at', '<', toMs)
          .where('outcome', '!=', RESERVED_OUTCOME)
          .execute(),
        db
          .selectFrom('agent_scores')
          .select(['agent_id', 'score_type', 'score', 'at'])
          .where('at', '>=', fromMs)
          .where('at', '<', toMs)
          .execute(),
        db
          .selectFrom('opt_outs')
          .select(['channel', 'opted_out_at'])
          .where('opted_out_at', '>=', fromMs)
          .where('opted_out_at', '<', toMs)
          .execute(),
        reports.providerReports(fromMs, toMs + afterMs),
        reminders.reminderOutcomes(fromMs, toMs),
      ]);
      return {
        runs: runRows,
        touches: touchRows.map((row) => ({ purpose: row.purpose, channel: row.channel, at: Number(row.at) })),
        scores: scoreRows.map((row) => ({
          agentId: row.agent_id,
          type: row.score_type === 'csat' ? 'csat' : 'nps',
          score: Number(row.score),
          at: Number(row.at),
        })),
        optOuts: optOutRows.map((row) => ({ channel: row.channel, at: Number(row.opted_out_at) })),
        sends: sendRows,
        reminders: reminderRows,
      };
    },
  };
}
