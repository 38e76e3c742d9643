import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agentIdSchema } from './agents';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';

export const agentScoreInputSchema = z.object({
  responseId: z.string().min(1).max(100),
  agentId: agentIdSchema,
  type: z.enum(['csat', 'nps']),
  score: z.number().int().min(0).max(10),
  at: z.number().int().nonnegative(),
});
export type AgentScoreInput = z.input<typeof agentScoreInputSchema>;
export type AgentScore = z.output<typeof agentScoreInputSchema>;

// A type alias, not an interface: `withTables` needs an index-signature-compatible type.
type ScoreTables = {
  agent_scores: { response_id: string; agent_id: string; score_type: string; score: number; at: number };
};

/** Survey scores per agent (migration 0006): what the rescue flow records and KPIs read. */
export function createAgentScores(storeDb: StoreDatabase) {
  const db: Kysely<StoreTables & ScoreTables> = storeDb.withTables<ScoreTables>();
  return {
    /** Records a score once per survey response: a response reported twice counts once. */
    async recordAgentScore(input: AgentScoreInput): Promise<boolean> {
      const score = agentScoreInputSchema.parse(input);
      const result = await db
        .insertInto('agent_scores')
        .values({
          response_id: score.responseId,
          agent_id: score.agentId,
          score_type: score.type,
          score: score.score,
          at: score.at,
        })
        .onConflict((conflict) => conflict.column('response_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** An agent's scores, newest first. */
    async agentScores(agentId: string): Promise<AgentScore[]> {
      const rows = await db
        .selectFrom('agent_scores')
        .selectAll()
        .where('agent_id', '=', agentIdSchema.parse(agentId))
        .orderBy('at', 'desc')
        .execute();
      return rows.map((row) => ({
        responseId: row.response_id,
        agentId: row.agent_id,
        type: row.score_type === 'csat' ? 'csat' : 'nps',
        score: Number(row.score),
        at: Number(row.at),
      }));
    },
  };
}
