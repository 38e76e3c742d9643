import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { StoreDatabase } from './create-database';
import { ContactStoreNotFoundError } from './store-errors';
import type { StoreTables } from './tables';
import { codeSchema, instantInputSchema } from './values';

/** An agent's id: a stable lower-case handle such as `alice` or `es.sales-07`. */
export const agentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
  error: 'expected a lower-case id of 2 to 64 characters: letters, digits, . _ - (e.g. alice or es.sales-07)',
});

/** Whether an agent can take a callback now. Only `available` agents are offered one. */
export const agentPresenceSchema = z.enum(['available', 'busy', 'away', 'offline']);
export type AgentPresence = z.infer<typeof agentPresenceSchema>;

/**
 * Where the agent's phone rings: an E.164 number, a Twilio Client identity (`client:alice`) or a
 * SIP URI (`sip:alice@example.com`) — the three things a `<Dial>` can reach.
 */
export const agentAddressSchema = z
  .string()
  .regex(/^(?:\+[1-9]\d{1,14}|client:[A-Za-z0-9_.-]{1,121}|sips?:[^\s@:]+@[^\s@]+)$/, {
    error: 'expected an E.164 number (+34911234567), client:<identity> or sip:<user>@<host>',
  });

/** A skill such as `billing` or `es.sales`: the same lower-case words callbacks ask for. */
export const agentSkillSchema = codeSchema;

/** A BCP 47 language tag (`es`, `en-GB`), stored in its canonical spelling so `en-gb` matches `en-GB`. */
export const agentLanguageSchema = z.string().transform((value, context) => {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    if (canonical !== undefined) return canonical;
  } catch {
    // reported below
  }
  context.addIssue({ code: 'custom', message: 'expected a BCP 47 language tag such as es or en-GB' });
  return z.NEVER;
});

/**
 * An agent as an administrator or the agent desk describes them. Upserting replaces the profile
 * (name, address, skills, languages); presence changes only when given.
 */
export const upsertAgentInputSchema = z.object({
  id: agentIdSchema,
  name: z.string().trim().min(1).max(200),
  address: agentAddressSchema,
  skills: z.array(agentSkillSchema).max(100).default([]),
  languages: z.array(agentLanguageSchema).max(50).default([]),
  /** Left out: a new agent starts `offline`, an existing one keeps their presence. */
  presence: agentPresenceSchema.optional(),
  at: instantInputSchema,
});
export type UpsertAgentInput = z.input<typeof upsertAgentInputSchema>;

export const agentFilterSchema = z.object({
  skill: agentSkillSchema.optional(),
  presence: agentPresenceSchema.optional(),
});
export type AgentFilter = z.input<typeof agentFilterSchema>;

export const availableAgentQuerySchema = z.object({
  skill: agentSkillSchema,
  language: agentLanguageSchema.optional(),
});
export type AvailableAgentQuery = z.input<typeof availableAgentQuerySchema>;

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  /** Sorted, without duplicates. */
  readonly skills: readonly string[];
  /** Canonical BCP 47 tags, sorted, without duplicates. */
  readonly languages: readonly string[];
  readonly presence: AgentPresence;
  /** Epoch ms of the last change of presence (not of a repeated report of the same presence). */
  readonly presenceChangedAt: number;
  /** Why the system took the agent out of rotation (their phone failed); gone once presence is set again. */
  readonly presenceNote?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The agent tables as Kysely sees them (migration 0003). */
// A type alias, not an interface: `withTables` needs an index-signature-compatible type.
type AgentTables = {
  agents: {
    id: string;
    name: string;
    address: string;
    presence: string;
    presence_changed_at: number;
    presence_note: string | null;
    created_at: number;
    updated_at: number;
  };
  agent_skills: { agent_id: string; skill: string };
  agent_languages: { agent_id: string; language: string };
};

type AgentRow = AgentTables['agents'];
type AgentDatabase = Kysely<StoreTables & AgentTables>;

export function createAgents(storeDb: StoreDatabase) {
  const db: AgentDatabase = storeDb.withTables<AgentTables>();

  return {
    /**
     * Creates or replaces an agent's profile in one transaction, so readers never see an agent
     * with half of their skills.
     */
    async upsertAgent(input: UpsertAgentInput): Promise<Agent> {
      const { id, name, address, skills, languages, presence, at } = upsertAgentInputSchema.parse(input);
      const uniqueSkills = [...new Set(skills)].sort();
      const uniqueLanguages = [...new Set(languages)].sort();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('agents')
          .values({
            id,
            name,
            address,
            presence: presence ?? 'offline',
            presence_changed_at: at,
            created_at: at,
            updated_at: at,
          })
          .onConflict((conflict) =>
            conflict.column('id').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              address: eb.ref('excluded.address'),
              updated_at: eb.ref('excluded.updated_at'),
              ...(presence !== undefined && {
                presence: eb.ref('excluded.presence'),
                presence_note: null,
                // Re-stating the same presence keeps the agent's place in the longest-available order.
                presence_changed_at: eb
                  .case()
                  .when('agents.presence', '=', eb.ref('excluded.presence'))
                  .then(eb.ref('agents.presence_changed_at'))
                  .else(eb.ref('excluded.presence_changed_at'))
                  .end(),
              }),
            })),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.deleteFrom('agent_skills').where('agent_id', '=', id).execute();
        await trx.deleteFrom('agent_languages').where('agent_id', '=', id).execute();
        if (uniqueSkills.length > 0) {
          await trx
            .insertInto('agent_skills')
            .values(uniqueSkills.map((skill) => ({ agent_id: id, skill })))
            .execute();
        }
        if (uniqueLanguages.length > 0) {
          await trx
            .insertInto('agent_languages')
            .values(uniqueLanguages.map((language) => ({ agent_id: id, language })))
            .execute();
        }
        return toAgent(row, uniqueSkills, uniqueLanguages);
      });
    },

    async getAgent(id: string): Promise<Agent | undefined> {
      const row = await db
        .selectFrom('agents')
        .selectAll()
        .where('id', '=', agentIdSchema.parse(id))
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const [agent] = await withSkillsAndLanguages(db, [row]);
      return agent;
    },

    /** Agents by id, optionally only those with a skill and/or a presence. */
    async listAgents(filter: AgentFilter = {}): Promise<Agent[]> {
      const { skill, presence } = agentFilterSchema.parse(filter);
      let query = db.selectFrom('agents').selectAll('agents');
      if (skill !== undefined) {
        query = query.where('agents.id', 'in', (eb) =>
          eb
            .selectFrom('agent_skills')
            .select('agent_skills.agent_id')
            .where('agent_skills.skill', '=', skill),
        );
      }
      if (presence !== undefined) query = query.where('agents.presence', '=', presence);
      const rows = await query.orderBy('agents.id').execute();
      return withSkillsAndLanguages(db, rows);
    },

    /**
     * Records a presence change and returns the agent. Reporting the presence an agent already
     * has keeps their `presenceChangedAt`; a report older than the stored change is ignored, so a
     * late-delivered `busy` cannot undo a newer `available`.
     *
     * @throws ContactStoreNotFoundError when no agent has this id
     */
    async setPresence(
      id: string,
      presence: AgentPresence,
      at: number | string | Date = Date.now(),
    ): Promise<Agent> {
      const agentId = agentIdSchema.parse(id);
      const newPresence = agentPresenceSchema.parse(presence);
      const when = instantInputSchema.parse(at);
      await db
        .updateTable('agents')
        .set((eb) => ({
          presence: newPresence,
          presence_note: null,
          presence_changed_at: eb
            .case()
            .when('presence', '=', newPresence)
            .then(eb.ref('presence_changed_at'))
            .else(when)
            .end(),
          updated_at: when,
        }))
        .where('id', '=', agentId)
        .where('presence_changed_at', '<=', when)
        .execute();
      const row = await db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
      if (row === undefined) throw new ContactStoreNotFoundError(`no agent with id ${agentId}`);
      const [agent] = await withSkillsAndLanguages(db, [row]);
      if (agent === undefined) throw new ContactStoreNotFoundError(`no agent with id ${agentId}`);
      return agent;
    },

    /**
     * Takes an agent out of rotation because their phone cannot be reached (an invalid or failing
     * number): presence `away` with the reason, for supervisors. Setting the presence again (the
     * agent signing back in after the number was fixed) clears the note.
     */
    async takeOutOfRotation(id: string, reason: string, at: number = Date.now()): Promise<void> {
      const agentId = agentIdSchema.parse(id);
      await db
        .updateTable('agents')
        .set({
          presence: 'away',
          presence_note: reason.slice(0, 500),
          presence_changed_at: at,
          updated_at: at,
        })
        .where('id', '=', agentId)
        .execute();
    },

    /** @returns whether the agent existed */
    async removeAgent(id: string): Promise<boolean> {
      const agentId = agentIdSchema.parse(id);
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('agent_skills').where('agent_id', '=', agentId).execute();
        await trx.deleteFrom('agent_languages').where('agent_id', '=', agentId).execute();
        const result = await trx.deleteFrom('agents').where('id', '=', agentId).executeTakeFirst();
        return result.numDeletedRows > 0n;
      });
    },

    /**
     * Available agents with the skill (and the language, when given; tags match exactly after
     * canonicalisation), longest-available first: the fairest order to offer a callback in.
     */
    async findAvailableAgents(query: AvailableAgentQuery): Promise<Agent[]> {
      const { skill, language } = availableAgentQuerySchema.parse(query);
      let select = db
        .selectFrom('agents')
        .innerJoin('agent_skills', 'agent_skills.agent_id', 'agents.id')
        .selectAll('agents')
        .where('agents.presence', '=', 'available')
        .where('agent_skills.skill', '=', skill);
      if (language !== undefined) {
        select = select.where('agents.id', 'in', (eb) =>
          eb
            .selectFrom('agent_languages')
            .select('agent_languages.agent_id')
            .where('agent_languages.language', '=', language),
        );
      }
      const rows = await select.orderBy('agents.presence_changed_at').orderBy('agents.id').execute();
      return withSkillsAndLanguages(db, rows);
    },
  };
}

/** Loads the skills and languages of `rows` in two queries, keeping the rows' order. */
async function withSkillsAndLanguages(db: AgentDatabase, rows: readonly AgentRow[]): Promise<Agent[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [skills, languages] = await Promise.all([
    db.selectFrom('agent_skills').selectAll().where('agent_id', 'in', ids).execute(),
    db.selectFrom('agent_languages').selectAll().where('agent_id', 'in', ids).execute(),
  ]);
  const skillsOf = groupBy(
    skills,
    (skill) => skill.agent_id,
    (skill) => skill.skill,
  );
  const languagesOf = groupBy(
    languages,
    (language) => language.agent_id,
    (language) => language.language,
  );
  return rows.map((row) => toAgent(row, skillsOf.get(row.id) ?? [], languagesOf.get(row.id) ?? []));
}

function groupBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  value: (item: T) => string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [value(item)]);
    else group.push(value(item));
  }
  return groups;
}

function toAgent(row: AgentRow, skills: readonly string[], languages: readonly string[]): Agent {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    // Sorted here, not in SQL, so both databases' collations give the same order.
    skills: [...skills].sort(),
    languages: [...languages].sort(),
    presence: agentPresenceSchema.parse(row.presence),
    presenceChangedAt: Number(row.presence_changed_at),
    ...(row.presence_note !== null ? { presenceNote: row.presence_note } : {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
