import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Agent } from './agents';
import {
  OFFER_HOLD_GRACE_MS,
  toHold,
  toQueued,
  type AgentHold,
  type HoldRow,
  type QueueRow,
  type QueuedCallback,
} from './callback-queue';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';

/** One attempt as the desk shows it. */
const deskAttemptSchema = z.object({
  attempt: z.number().int().nonnegative(),
  at: z.string().max(40),
  outcome: z.string().max(40),
});

/**
 * What the desk and the supervisor view show of one open callback (migration 0011): written by the
 * callback's run whenever its state changes. Never the phone number.
 */
export const deskCallbackSchema = z.object({
  workflowId: z.string().min(1).max(1000),
  state: z.string().min(1).max(40),
  priority: z.number().int(),
  requestedAtMs: z.number().int().nonnegative(),
  dueAtMs: z.number().int().nonnegative().optional(),
  expiresAtMs: z.number().int().nonnegative().optional(),
  origin: z.string().min(1).max(40),
  queue: z.string().min(1).max(200),
  skill: z.string().min(1).max(200),
  language: z.string().max(50).optional(),
  customerName: z.string().max(500).optional(),
  reason: z.string().max(5000).optional(),
  waitedSeconds: z.number().nonnegative(),
  abandonCount: z.number().int().nonnegative(),
  tier: z.string().max(100).optional(),
  timeZone: z.string().max(100).optional(),
  surveyScore: z.unknown().optional(),
  attempts: z.array(deskAttemptSchema).max(1000),
  /** The agent who claimed it (being dialled, on the call). */
  agentId: z.string().max(200).optional(),
  /**
   * Orders the writes of one workflow id (its runs included): a write older than the row's is
   * ignored. Runs use workflow time in microseconds plus a counter.
   */
  version: z.number().int().nonnegative(),
});
export type DeskCallbackInput = z.input<typeof deskCallbackSchema>;
export type DeskCallback = z.output<typeof deskCallbackSchema> & {
  /** Written by the desk from a query of a run that predates the read model. */
  legacy: boolean;
  updatedAt: number;
};

/** A page request: rows `offset` … `offset + limit - 1` of the ordered list. */
export interface PageRequest {
  offset: number;
  limit: number;
}

export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

/** A due callback an agent may claim: its queue entry and, once its run wrote it, its card. */
export interface ClaimableCallback {
  entry: QueuedCallback;
  card?: DeskCallback;
}

/** A row of the supervisor's list: the card with the store's hold on it, if any. */
export interface SupervisedCallback {
  card: DeskCallback;
  hold?: AgentHold;
}

export interface SupervisorFilter {
  state?: string;
  skill?: string;
  /** Held by (offer or call) or claimed by this agent. */
  agentId?: string;
  /** Requested at or before this instant. */
  requestedBeforeMs?: number;
}

/** Finished callbacks' rows stay this long (a late, out-of-order write must not bring one back). */
const DONE_ROW_KEEP_MS = 10 * 60_000;

type DeskTables = {
  desk_callbacks: {
    workflow_id: string;
    state: string;
    priority: number;
    requested_at: number;
    due_at: number | null;
    expires_at: number | null;
    origin: string;
    queue: string;
    skill: string;
    language: string | null;
    customer_name: string | null;
    reason: string | null;
    waited_ms: number;
    abandon_count: number;
    tier: string | null;
    time_zone: string | null;
    survey_score: string | null;
    attempts: string;
    agent_id: string | null;
    version: number;
    legacy: number;
    updated_at: number;
  };
  callback_queue: QueueRow;
  agent_holds: HoldRow;
};
type DeskDatabase = Kysely<StoreTables & DeskTables>;
type DeskRow = DeskTables['desk_callbacks'];

function toRow(
  card: z.output<typeof deskCallbackSchema>,
  legacy: boolean,
  now: number,
): Omit<DeskRow, 'workflow_id'> {
  return {
    state: card.state,
    priority: card.priority,
    requested_at: card.requestedAtMs,
    due_at: card.dueAtMs ?? null,
    expires_at: card.expiresAtMs ?? null,
    origin: card.origin,
    queue: card.queue,
    skill: card.skill,
    language: card.language ?? null,
    customer_name: card.customerName ?? null,
    reason: card.reason ?? null,
    waited_ms: Math.round(card.waitedSeconds * 1000),
    abandon_count: card.abandonCount,
    tier: card.tier ?? null,
    time_zone: card.timeZone ?? null,
    survey_score: card.surveyScore === undefined ? null : JSON.stringify(card.surveyScore),
    attempts: JSON.stringify(card.attempts),
    agent_id: card.agentId ?? null,
    version: card.version,
    legacy: legacy ? 1 : 0,
    updated_at: now,
  };
}

function fromRow(row: DeskRow): DeskCallback {
  return {
    workflowId: row.workflow_id,
    state: row.state,
    priority: Number(row.priority),
    requestedAtMs: Number(row.requested_at),
    ...(row.due_at !== null ? { dueAtMs: Number(row.due_at) } : {}),
    ...(row.expires_at !== null ? { expiresAtMs: Number(row.expires_at) } : {}),
    origin: row.origin,
    queue: row.queue,
    skill: row.skill,
    ...(row.language !== null ? { language: row.language } : {}),
    ...(row.customer_name !== null ? { customerName: row.customer_name } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    waitedSeconds: Number(row.waited_ms) / 1000,
    abandonCount: Number(row.abandon_count),
    ...(row.tier !== null ? { tier: row.tier } : {}),
    ...(row.time_zone !== null ? { timeZone: row.time_zone } : {}),
    ...(row.survey_score !== null ? { surveyScore: JSON.parse(row.survey_score) as unknown } : {}),
    attempts: z.array(deskAttemptSchema).parse(JSON.parse(row.attempts)),
    ...(row.agent_id !== null ? { agentId: row.agent_id } : {}),
    version: Number(row.version),
    legacy: Number(row.legacy) === 1,
    updatedAt: Number(row.updated_at),
  };
}

/** A hold joined to another row (`h_` columns), if there is one. */
function joinedHold(
  workflowId: string,
  row: {
    h_agent_id: string | null;
    h_kind: string | null;
    h_since: number | null;
    h_expires_at: number | null;
  },
): AgentHold | undefined {
  if (row.h_agent_id === null || row.h_kind === null || row.h_since === null) return undefined;
  return toHold({
    agent_id: row.h_agent_id,
    workflow_id: workflowId,
    kind: row.h_kind,
    since: row.h_since,
    expires_at: row.h_expires_at,
  });
}

const QUEUE_COLUMNS = [
  'q.workflow_id as q_workflow_id',
  'q.skill as q_skill',
  'q.language as q_language',
  'q.priority as q_priority',
  'q.requested_at as q_requested_at',
  'q.preferred_agent_id as q_preferred_agent_id',
  'q.preferred_only_until as q_preferred_only_until',
  'q.declined as q_declined',
  'q.queued_at as q_queued_at',
] as const;

const HOLD_COLUMNS = [
  'h.agent_id as h_agent_id',
  'h.kind as h_kind',
  'h.since as h_since',
  'h.expires_at as h_expires_at',
] as const;

/** A queue row joined to another (`q_` columns). */
function joinedQueued(row: {
  q_workflow_id: string;
  q_skill: string;
  q_language: string | null;
  q_priority: number;
  q_requested_at: number;
  q_preferred_agent_id: string | null;
  q_preferred_only_until: number | null;
  q_declined: string;
  q_queued_at: number;
}): QueuedCallback {
  return toQueued({
    workflow_id: row.q_workflow_id,
    skill: row.q_skill,
    language: row.q_language,
    priority: row.q_priority,
    requested_at: row.q_requested_at,
    preferred_agent_id: row.q_preferred_agent_id,
    preferred_only_until: row.q_preferred_only_until,
    declined: row.q_declined,
    queued_at: row.q_queued_at,
  });
}

function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? '';
}

const DESK_COLUMNS = [
  'c.workflow_id',
  'c.state',
  'c.priority',
  'c.requested_at',
  'c.due_at',
  'c.expires_at',
  'c.origin',
  'c.queue',
  'c.skill',
  'c.language',
  'c.customer_name',
  'c.reason',
  'c.waited_ms',
  'c.abandon_count',
  'c.tier',
  'c.time_zone',
  'c.survey_score',
  'c.attempts',
  'c.agent_id',
  'c.version',
  'c.legacy',
  'c.updated_at',
] as const;

/**
 * The desk's read model: what each open callback shows on the agent desk and the supervisor view,
 * read a page at a time with indexes, so the desk never asks the runs themselves.
 */
export function createDeskCallbacks(storeDb: StoreDatabase) {
  const db: DeskDatabase = storeDb.withTables<DeskTables>();

  /** Queue entries `agent` may claim now: the same rules as `claimBarrier`, as SQL. */
  const claimableBy = (agent: Agent, now: number) => {
    const languages = [...new Set(agent.languages.map(primaryLanguage))].filter((tag) => tag !== '');
    return (
      db
        .selectFrom('callback_queue as q')
        .leftJoin('agent_holds as h', 'h.workflow_id', 'q.workflow_id')
        .leftJoin('desk_callbacks as c', 'c.workflow_id', 'q.workflow_id')
        .where('q.skill', 'in', agent.skills.length > 0 ? [...agent.skills] : [''])
        .where((eb) =>
          eb.or([
            eb('q.language', 'is', null),
            ...languages.flatMap((tag) => [
              eb(eb.fn('lower', ['q.language']), '=', tag),
              eb(eb.fn('lower', ['q.language']), 'like', `${tag}-%`),
            ]),
          ]),
        )
        .where((eb) =>
          eb.or([
            eb('q.preferred_agent_id', 'is', null),
            eb('q.preferred_agent_id', '=', agent.id),
            eb('q.preferred_only_until', 'is', null),
            eb('q.preferred_only_until', '<=', now),
          ]),
        )
        // Nobody holds it, or only an offer whose preview has ended.
        .where((eb) =>
          eb.or([
            eb('h.agent_id', 'is', null),
            eb.and([eb('h.kind', '=', 'offer'), eb('h.expires_at', '<=', now + OFFER_HOLD_GRACE_MS)]),
          ]),
        )
        .where((eb) => eb.or([eb('c.agent_id', 'is', null), eb('c.agent_id', '=', agent.id)]))
    );
  };

  const supervised = (filter: SupervisorFilter) => {
    let query = db
      .selectFrom('desk_callbacks as c')
      .leftJoin('agent_holds as h', 'h.workflow_id', 'c.workflow_id')
      .where('c.state', '!=', 'done');
    if (filter.state !== undefined) query = query.where('c.state', '=', filter.state);
    if (filter.skill !== undefined) query = query.where('c.skill', '=', filter.skill);
    if (filter.requestedBeforeMs !== undefined)
      query = query.where('c.requested_at', '<=', filter.requestedBeforeMs);
    const agentId = filter.agentId;
    if (agentId !== undefined)
      query = query.where((eb) => eb.or([eb('c.agent_id', '=', agentId), eb('h.agent_id', '=', agentId)]));
    return query;
  };

  return {
    /**
     * Writes what a callback's run shows now (its state `done`: it leaves the desk). A write older
     * than the row's (`version`) changes nothing, so writes that arrive out of order are harmless.
     */
    async publishDeskCallback(input: DeskCallbackInput, now: number = Date.now()): Promise<void> {
      const card = deskCallbackSchema.parse(input);
      const row = toRow(card, false, now);
      await db
        .insertInto('desk_callbacks')
        .values({ workflow_id: card.workflowId, ...row })
        .onConflict((conflict) =>
          conflict
            .column('workflow_id')
            .doUpdateSet(row)
            .where((eb) =>
              eb.or([eb('desk_callbacks.version', '<', card.version), eb('desk_callbacks.legacy', '=', 1)]),
            ),
        )
        .execute();
      if (card.state === 'done') {
        await db
          .deleteFrom('desk_callbacks')
          .where('state', '=', 'done')
          .where('updated_at', '<', now - DONE_ROW_KEEP_MS)
          .execute();
      }
    },

    /**
     * Changes when the queue or a desk row changes (a row written, the queue longer or shorter): the
     * desk reads its pages again only then (and now and then for what time alone changes). Three
     * index reads, whatever the number of callbacks.
     */
    async deskChangeStamp(): Promise<string> {
      const [queue, desk] = await Promise.all([
        db
          .selectFrom('callback_queue')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('desk_callbacks')
          .select((eb) => [eb.fn.countAll<number | string>().as('count'), eb.fn.max('updated_at').as('last')])
          .executeTakeFirstOrThrow(),
      ]);
      return [queue.count, desk.count, desk.last].map((value) => String(value)).join(':');
    },

    /** Takes a closed run's row off the desk (a run terminated from the UI writes nothing). */
    async removeDeskCallback(workflowId: string): Promise<void> {
      await db.deleteFrom('desk_callbacks').where('workflow_id', '=', workflowId).execute();
    },

    /**
     * The desk's own write for a run that predates the read model (from one query of that run); a
     * row its run wrote is never overwritten. `undefined`: the run is gone, its legacy row too.
     */
    async recordLegacyDeskCallback(
      workflowId: string,
      input: Omit<DeskCallbackInput, 'workflowId' | 'version'> | undefined,
      now: number = Date.now(),
    ): Promise<void> {
      if (input === undefined) {
        await db
          .deleteFrom('desk_callbacks')
          .where('workflow_id', '=', workflowId)
          .where('legacy', '=', 1)
          .execute();
        return;
      }
      const card = deskCallbackSchema.parse({ ...input, workflowId, version: 0 });
      const row = toRow(card, true, now);
      await db
        .insertInto('desk_callbacks')
        .values({ workflow_id: workflowId, ...row })
        .onConflict((conflict) =>
          conflict.column('workflow_id').doUpdateSet(row).where('desk_callbacks.legacy', '=', 1),
        )
        .execute();
    },

    /**
     * Callbacks the desk must ask their runs about, at most `limit`: queued or held ones no run wrote
     * a row for (runs started before the read model), then legacy rows not refreshed since `staleBeforeMs`.
     */
    async deskCallbacksToBackfill(limit: number, staleBeforeMs: number): Promise<string[]> {
      const [queued, held, stale] = await Promise.all([
        db
          .selectFrom('callback_queue as q')
          .leftJoin('desk_callbacks as c', 'c.workflow_id', 'q.workflow_id')
          .select('q.workflow_id')
          .where('c.workflow_id', 'is', null)
          .limit(limit)
          .execute(),
        db
          .selectFrom('agent_holds as h')
          .leftJoin('desk_callbacks as c', 'c.workflow_id', 'h.workflow_id')
          .select('h.workflow_id')
          .where('c.workflow_id', 'is', null)
          .limit(limit)
          .execute(),
        db
          .selectFrom('desk_callbacks')
          .select('workflow_id')
          .where('legacy', '=', 1)
          .where('updated_at', '<', staleBeforeMs)
          .orderBy('updated_at')
          .limit(limit)
          .execute(),
      ]);
      return [...new Set([...queued, ...held, ...stale].map((row) => row.workflow_id))].slice(0, limit);
    },

    /** The rows of these callbacks (say, the ones agents hold), by workflow id. */
    async deskCallbacksOf(workflowIds: readonly string[]): Promise<Map<string, DeskCallback>> {
      if (workflowIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('desk_callbacks')
        .selectAll()
        .where('workflow_id', 'in', [...workflowIds])
        .execute();
      return new Map(rows.map((row) => [row.workflow_id, fromRow(row)]));
    },

    /** One page of the due callbacks `agent` may claim, in service order, with the total. */
    async claimablePage(
      agent: Agent,
      page: PageRequest,
      now: number = Date.now(),
    ): Promise<Page<ClaimableCallback>> {
      const [rows, total] = await Promise.all([
        claimableBy(agent, now)
          .select([...QUEUE_COLUMNS, ...DESK_COLUMNS])
          .orderBy('q.priority', 'desc')
          .orderBy('q.requested_at')
          .orderBy('q.workflow_id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        claimableBy(agent, now)
          .select((eb) => eb.fn.countAll<number | string>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      const items = rows.map((row): ClaimableCallback => {
        const entry = joinedQueued(row);
        return row.workflow_id === null ? { entry } : { entry, card: fromRow(row as DeskRow) };
      });
      return { total: Number(total.total), offset: page.offset, limit: page.limit, items };
    },

    /** One page of the open callbacks for supervisors, in service order, with the total. */
    async supervisedPage(filter: SupervisorFilter, page: PageRequest): Promise<Page<SupervisedCallback>> {
      const [rows, total] = await Promise.all([
        supervised(filter)
          .select([...DESK_COLUMNS, ...HOLD_COLUMNS])
          .orderBy('c.priority', 'desc')
          .orderBy('c.requested_at')
          .orderBy('c.workflow_id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        supervised(filter)
          .select((eb) => eb.fn.countAll<number | string>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      const items = rows.map((row): SupervisedCallback => {
        const card = fromRow(row as DeskRow);
        const hold = joinedHold(card.workflowId, row);
        return hold === undefined ? { card } : { card, hold };
      });
      return { total: Number(total.total), offset: page.offset, limit: page.limit, items };
    },

    /** One queue entry (with its hold), for the check before a claim: no read of the whole queue. */
    async queuedCallback(workflowId: string): Promise<(QueuedCallback & { hold?: AgentHold }) | undefined> {
      const row = await db
        .selectFrom('callback_queue as q')
        .leftJoin('agent_holds as h', 'h.workflow_id', 'q.workflow_id')
        .select([...QUEUE_COLUMNS, ...HOLD_COLUMNS])
        .where('q.workflow_id', '=', workflowId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const entry = joinedQueued(row);
      const hold = joinedHold(workflowId, row);
      return hold === undefined ? entry : { ...entry, hold };
    },
  };
}

export type DeskCallbacks = ReturnType<typeof createDeskCallbacks>;
