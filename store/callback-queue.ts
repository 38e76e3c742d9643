import type { Kysely } from 'kysely';
import { z } from 'zod';
import { assignOffers, type WaitingCallback } from '../domain/callbacks/assign-offers';
import { agentIdSchema, agentLanguageSchema, agentSkillSchema, createAgents } from './agents';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';
import { customerKeySchema } from './values';

/** A due callback entering (or re-entering) the agent queue. */
export const queuedCallbackSchema = z.object({
  workflowId: z.string().min(1).max(1000),
  skill: agentSkillSchema,
  language: agentLanguageSchema.optional(),
  priority: z.number().int(),
  requestedAtMs: z.number().int().nonnegative(),
  preferredAgentId: agentIdSchema.optional(),
  preferredOnlyUntilMs: z.number().int().nonnegative().optional(),
  declinedAgentIds: z.array(agentIdSchema).default([]),
});
export type QueuedCallbackInput = z.input<typeof queuedCallbackSchema>;
export type QueuedCallback = z.output<typeof queuedCallbackSchema>;

/**
 * An offer's end is decided by its callback run, on the run's own clock: the run withdraws the offer
 * (declineOffer) when its preview time-out fires. The row outlives the preview by this much so the
 * store never frees an agent the run still counts as offered; it only frees one whose run stopped
 * answering (a worker down), after the grace.
 */
export const OFFER_HOLD_GRACE_MS = 60_000;

/** What an agent holds: a callback offered to them (until `expiresAt`) or one they claimed and are calling. */
export type HoldKind = 'offer' | 'call';

export interface AgentHold {
  readonly agentId: string;
  readonly workflowId: string;
  readonly kind: HoldKind;
  readonly since: number;
  readonly expiresAt: number | null;
}

export interface MadeOffer {
  readonly workflowId: string;
  readonly agentId: string;
  readonly expiresAt: number;
  /** When the callback entered the agent queue (for the offer latency metric). */
  readonly queuedAt: number;
}

/** See `dispatchOutlook`. */
export interface DispatchOutlook {
  readonly waiting: number;
  readonly held: number;
  /** Available agents who hold nothing. */
  readonly freeAgents: number;
  readonly nextEventAtMs?: number;
}

export type HoldResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'agent-busy-elsewhere'; readonly heldFor: string };

// A type alias, not an interface: `withTables` needs an index-signature-compatible type.
type CallbackTables = {
  callback_queue: {
    workflow_id: string;
    skill: string;
    language: string | null;
    priority: number;
    requested_at: number;
    preferred_agent_id: string | null;
    preferred_only_until: number | null;
    declined: string;
    queued_at: number;
  };
  agent_holds: {
    agent_id: string;
    workflow_id: string;
    kind: string;
    since: number;
    expires_at: number | null;
  };
  customer_owners: { customer_key: string; agent_id: string; at: number };
};
type CallbackDatabase = Kysely<StoreTables & CallbackTables>;
export type QueueRow = CallbackTables['callback_queue'];
export type HoldRow = CallbackTables['agent_holds'];

/** A queue row as the dispatcher and the desk see it. */
export function toQueued(row: QueueRow): QueuedCallback {
  return {
    workflowId: row.workflow_id,
    skill: row.skill,
    ...(row.language !== null ? { language: row.language } : {}),
    priority: Number(row.priority),
    requestedAtMs: Number(row.requested_at),
    ...(row.preferred_agent_id !== null ? { preferredAgentId: row.preferred_agent_id } : {}),
    ...(row.preferred_only_until !== null ? { preferredOnlyUntilMs: Number(row.preferred_only_until) } : {}),
    declinedAgentIds: row.declined === '' ? [] : row.declined.split(','),
  };
}

/** A hold as people see it: an offer's end is its preview's, not the row's. */
export function toHold(row: CallbackTables['agent_holds']): AgentHold {
  const kind: HoldKind = row.kind === 'call' ? 'call' : 'offer';
  return {
    agentId: row.agent_id,
    workflowId: row.workflow_id,
    kind,
    since: Number(row.since),
    // What people see is the preview's end; the row itself lasts OFFER_HOLD_GRACE_MS longer.
    expiresAt:
      row.expires_at === null ? null : Number(row.expires_at) - (kind === 'offer' ? OFFER_HOLD_GRACE_MS : 0),
  };
}

/**
 * The agent side of callbacks: the queue of due callbacks, the one hold each agent may have (an
 * offer or a call), and who last served each customer. Temporal owns each callback's state; these
 * rows only let one dispatcher see every waiting callback and every free agent at once.
 */
export function createCallbackQueue(storeDb: StoreDatabase) {
  const db: CallbackDatabase = storeDb.withTables<CallbackTables>();
  const agents = createAgents(storeDb);

  return {
    /** Puts a due callback in the queue, or updates its entry (priority, declined agents…). */
    async enqueueCallback(input: QueuedCallbackInput, now: number = Date.now()): Promise<void> {
      const entry = queuedCallbackSchema.parse(input);
      const values = {
        skill: entry.skill,
        language: entry.language ?? null,
        priority: entry.priority,
        requested_at: entry.requestedAtMs,
        preferred_agent_id: entry.preferredAgentId ?? null,
        preferred_only_until: entry.preferredOnlyUntilMs ?? null,
        declined: entry.declinedAgentIds.join(','),
      };
      await db
        .insertInto('callback_queue')
        .values({ workflow_id: entry.workflowId, ...values, queued_at: now })
        .onConflict((conflict) => conflict.column('workflow_id').doUpdateSet(values))
        .execute();
    },

    /** Takes a callback out of the queue and frees the agent it held, if any. Idempotent. */
    async leaveCallbackQueue(workflowId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('callback_queue').where('workflow_id', '=', workflowId).execute();
        await trx.deleteFrom('agent_holds').where('workflow_id', '=', workflowId).execute();
      });
    },

    /**
     * Offers waiting callbacks to free agents (available, holding nothing) in service order; each
     * offer holds its agent until `now + offerMs`. Expired offers are dropped first. Returns only the
     * offers this call made: two dispatchers racing never offer one agent or one callback twice.
     */
    async dispatchCallbacks(options: { now?: number; offerMs: number }): Promise<MadeOffer[]> {
      const now = options.now ?? Date.now();
      await db.deleteFrom('agent_holds').where('kind', '=', 'offer').where('expires_at', '<', now).execute();
      const [queueRows, holdRows, available] = await Promise.all([
        db.selectFrom('callback_queue').selectAll().execute(),
        db.selectFrom('agent_holds').selectAll().execute(),
        agents.listAgents({ presence: 'available' }),
      ]);
      const heldAgents = new Set(holdRows.map((row) => row.agent_id));
      const heldCallbacks = new Set(holdRows.map((row) => row.workflow_id));
      const waiting: WaitingCallback[] = queueRows
        .filter((row) => !heldCallbacks.has(row.workflow_id))
        .map(toQueued);
      const free = available.filter((agent) => !heldAgents.has(agent.id));
      const made: MadeOffer[] = [];
      const queuedAt = new Map(queueRows.map((row) => [row.workflow_id, Number(row.queued_at)]));
      for (const offer of assignOffers(waiting, free, now)) {
        const expiresAt = now + options.offerMs;
        const result = await db
          .insertInto('agent_holds')
          .values({
            agent_id: offer.agentId,
            workflow_id: offer.workflowId,
            kind: 'offer',
            since: now,
            expires_at: expiresAt + OFFER_HOLD_GRACE_MS,
          })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1)
          made.push({ ...offer, expiresAt, queuedAt: queuedAt.get(offer.workflowId) ?? now });
      }
      return made;
    },

    /** Frees an agent from an offer the callback did not take (it was no longer waiting), without declining. */
    async releaseOffer(workflowId: string, agentId: string): Promise<void> {
      await db
        .deleteFrom('agent_holds')
        .where('workflow_id', '=', workflowId)
        .where('agent_id', '=', agentId)
        .where('kind', '=', 'offer')
        .execute();
    },

    /** Ends an offer that was rejected or timed out; the agent is not offered this callback again. */
    async declineOffer(workflowId: string, agentId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('agent_holds')
          .where('workflow_id', '=', workflowId)
          .where('agent_id', '=', agentId)
          .where('kind', '=', 'offer')
          .execute();
        const row = await trx
          .selectFrom('callback_queue')
          .select('declined')
          .where('workflow_id', '=', workflowId)
          .executeTakeFirst();
        if (row === undefined) return;
        const declined = new Set(row.declined === '' ? [] : row.declined.split(','));
        declined.add(agentId);
        await trx
          .updateTable('callback_queue')
          .set({ declined: [...declined].sort().join(',') })
          .where('workflow_id', '=', workflowId)
          .execute();
      });
    },

    /**
     * Turns the agent's hold into this callback's call: their own offer becomes the call, a free
     * agent is taken. Refused while the agent holds another callback (offered or on a call).
     */
    async holdAgentForCall(
      workflowId: string,
      agentId: string,
      now: number = Date.now(),
    ): Promise<HoldResult> {
      return db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('agent_holds')
          .selectAll()
          .where('agent_id', '=', agentId)
          .executeTakeFirst();
        if (current !== undefined && current.workflow_id !== workflowId) {
          const expired = current.kind === 'offer' && Number(current.expires_at) < now;
          if (!expired) return { ok: false, reason: 'agent-busy-elsewhere', heldFor: current.workflow_id };
        }
        // Whatever this callback held before (an offer to someone else) goes.
        await trx
          .deleteFrom('agent_holds')
          .where((eb) => eb.or([eb('workflow_id', '=', workflowId), eb('agent_id', '=', agentId)]))
          .execute();
        await trx
          .insertInto('agent_holds')
          .values({ agent_id: agentId, workflow_id: workflowId, kind: 'call', since: now, expires_at: null })
          .execute();
        await trx.deleteFrom('callback_queue').where('workflow_id', '=', workflowId).execute();
        return { ok: true } as const;
      });
    },

    /** Since when an agent has been held for this callback's call (its claim), if one is. */
    async callHoldSince(workflowId: string): Promise<number | undefined> {
      const row = await db
        .selectFrom('agent_holds')
        .select('since')
        .where('workflow_id', '=', workflowId)
        .where('kind', '=', 'call')
        .executeTakeFirst();
      return row === undefined ? undefined : Number(row.since);
    },

    /** Every queued callback in service order, with the agent holding it, for supervisors and the desk. */
    async listCallbackQueue(): Promise<(QueuedCallback & { hold?: AgentHold })[]> {
      const [rows, holds] = await Promise.all([
        db.selectFrom('callback_queue').selectAll().execute(),
        db.selectFrom('agent_holds').selectAll().execute(),
      ]);
      const holdOf = new Map(holds.map((row) => [row.workflow_id, toHold(row)]));
      return rows
        .map(toQueued)
        .sort((a, b) => b.priority - a.priority || a.requestedAtMs - b.requestedAtMs)
        .map((entry) => {
          const hold = holdOf.get(entry.workflowId);
          return hold === undefined ? entry : { ...entry, hold };
        });
    },

    /**
     * What the dispatcher must wake for without being told: how many callbacks wait, how many agents
     * are free and how many held (a backstop pass is due while callbacks wait and agents are free,
     * the reaper of closed runs' holds while agents are held), and the next instant a pass could
     * offer something new by time alone — an owner's exclusive wait ending, or an unanswered offer's
     * hold running out.
     */
    async dispatchOutlook(now: number = Date.now()): Promise<DispatchOutlook> {
      const [queue, holds, available, heldRows] = await Promise.all([
        db
          .selectFrom('callback_queue')
          .select((eb) => [
            eb.fn.countAll<number | string>().as('waiting'),
            eb.fn
              .min<number | string | null>(
                eb.case().when('preferred_only_until', '>', now).then(eb.ref('preferred_only_until')).end(),
              )
              .as('next_owner_end'),
          ])
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('agent_holds')
          .select((eb) => [
            eb.fn.countAll<number | string>().as('held'),
            eb.fn
              .min<number | string | null>(
                eb.case().when('kind', '=', 'offer').then(eb.ref('expires_at')).end(),
              )
              .as('next_offer_end'),
          ])
          .executeTakeFirstOrThrow(),
        agents.listAgents({ presence: 'available' }),
        db.selectFrom('agent_holds').select('agent_id').execute(),
      ]);
      const heldAgents = new Set(heldRows.map((row) => row.agent_id));
      const instants = [queue.next_owner_end, holds.next_offer_end]
        .filter((value) => value !== null)
        .map(Number);
      return {
        waiting: Number(queue.waiting),
        held: Number(holds.held),
        freeAgents: available.filter((agent) => !heldAgents.has(agent.id)).length,
        // The first instant after the earliest end: a pass at the end itself would still see it.
        ...(instants.length > 0 ? { nextEventAtMs: Math.max(now, Math.min(...instants)) + 1 } : {}),
      };
    },

    /** Every hold (offers and calls). */
    async listAgentHolds(): Promise<AgentHold[]> {
      return (await db.selectFrom('agent_holds').selectAll().orderBy('agent_id').execute()).map(toHold);
    },

    /** Records that `agentId` spoke with the customer: the next callback prefers them. */
    async recordCustomerOwner(customerKey: string, agentId: string, at: number = Date.now()): Promise<void> {
      const key = customerKeySchema.parse(customerKey);
      const agent = agentIdSchema.parse(agentId);
      await db
        .insertInto('customer_owners')
        .values({ customer_key: key, agent_id: agent, at })
        .onConflict((conflict) => conflict.column('customer_key').doUpdateSet({ agent_id: agent, at }))
        .execute();
    },

    /** The agent who last spoke with the customer at or after `sinceMs`, if any. */
    async customerOwner(customerKey: string, sinceMs: number): Promise<string | undefined> {
      const row = await db
        .selectFrom('customer_owners')
        .select('agent_id')
        .where('customer_key', '=', customerKeySchema.parse(customerKey))
        .where('at', '>=', sinceMs)
        .executeTakeFirst();
      return row?.agent_id;
    },
  };
}

export type CallbackQueue = ReturnType<typeof createCallbackQueue>;
