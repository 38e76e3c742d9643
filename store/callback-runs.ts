import type { Kysely } from 'kysely';
import { z } from 'zod';
import { callbackRunSchema, offerAnswerSchema, type CallbackRun, type CallbackRunInput } from '../domain/kpi';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';

// A type alias, not an interface: `withTables` needs an index-signature-compatible type.
type RunTables = {
  callback_runs: {
    workflow_id: string;
    run_id: string;
    customer_key: string;
    origin: string;
    queue: string;
    skill: string;
    abandon_count: number;
    agent_id: string | null;
    requested_at: number;
    closed_at: number;
    decision: string | null;
    decision_reason: string | null;
    acknowledged: number;
    outcome: string;
    customer_attempts: number;
    last_attempt_outcome: string | null;
    conversation_at: number | null;
    offers: string;
    tenant: string | null;
    promised_by: number | null;
    first_call_at: number | null;
  };
};
type RunRow = RunTables['callback_runs'];

const offersSchema = z.array(z.object({ agentId: z.string(), answer: offerAnswerSchema }));

function toRun(row: RunRow): CallbackRun {
  return {
    workflowId: row.workflow_id,
    runId: row.run_id,
    customerKey: row.customer_key,
    origin: row.origin,
    queue: row.queue,
    skill: row.skill,
    abandonCount: Number(row.abandon_count),
    agentId: row.agent_id,
    requestedAtMs: Number(row.requested_at),
    closedAtMs: Number(row.closed_at),
    decision: row.decision,
    decisionReason: row.decision_reason,
    acknowledged: Number(row.acknowledged) === 1,
    outcome: row.outcome,
    customerAttempts: Number(row.customer_attempts),
    lastAttemptOutcome: row.last_attempt_outcome,
    conversationAtMs: row.conversation_at === null ? null : Number(row.conversation_at),
    offers: offersSchema.parse(JSON.parse(row.offers)),
    tenant: row.tenant,
    promisedByMs: row.promised_by === null ? null : Number(row.promised_by),
    firstCallAtMs: row.first_call_at === null ? null : Number(row.first_call_at),
  };
}

/** Finished callback runs (migration 0009): what each run records as it finishes, and what KPIs read. */
export function createCallbackRuns(storeDb: StoreDatabase) {
  const db: Kysely<StoreTables & RunTables> = storeDb.withTables<RunTables>();
  return {
    /** Records a finished run once: a retried activity writes nothing new. */
    async recordCallbackRun(input: CallbackRunInput): Promise<boolean> {
      const run = callbackRunSchema.parse(input);
      const result = await db
        .insertInto('callback_runs')
        .values({
          workflow_id: run.workflowId,
          run_id: run.runId,
          customer_key: run.customerKey,
          origin: run.origin,
          queue: run.queue,
          skill: run.skill,
          abandon_count: run.abandonCount,
          agent_id: run.agentId,
          requested_at: run.requestedAtMs,
          closed_at: run.closedAtMs,
          decision: run.decision,
          decision_reason: run.decisionReason,
          acknowledged: run.acknowledged ? 1 : 0,
          outcome: run.outcome,
          customer_attempts: run.customerAttempts,
          last_attempt_outcome: run.lastAttemptOutcome,
          conversation_at: run.conversationAtMs,
          offers: JSON.stringify(run.offers),
          tenant: run.tenant,
          promised_by: run.promisedByMs,
          first_call_at: run.firstCallAtMs,
        })
        .onConflict((conflict) => conflict.columns(['workflow_id', 'run_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** Runs requested in [fromMs, toMs), oldest first. */
    async callbackRunsRequested(fromMs: number, toMs: number): Promise<CallbackRun[]> {
      const rows = await db
        .selectFrom('callback_runs')
        .selectAll()
        .where('requested_at', '>=', fromMs)
        .where('requested_at', '<', toMs)
        .orderBy('requested_at')
        .orderBy('workflow_id')
        .orderBy('run_id')
        .execute();
      return rows.map(toRun);
    },
  };
}
