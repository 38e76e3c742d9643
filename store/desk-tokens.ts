import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agentIdSchema } from './agents';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';
import { instantInputSchema } from './values';

/** What a desk token opens: an agent's own desk, or the supervisor view and its operations. */
export const deskRoleSchema = z.enum(['agent', 'supervisor']);
export type DeskRole = z.infer<typeof deskRoleSchema>;

/**
 * A new desk token. `subjectId` is the agent's id for an agent token (the agent must exist), and
 * the supervisor's handle (written into the callback timeline as who acted) for a supervisor token.
 */
export const issueDeskTokenInputSchema = z.object({
  role: deskRoleSchema,
  subjectId: agentIdSchema,
  label: z.string().trim().min(1).max(200).optional(),
  at: instantInputSchema,
});
export type IssueDeskTokenInput = z.input<typeof issueDeskTokenInputSchema>;

/** Who a presented token belongs to. */
export interface DeskIdentity {
  readonly role: DeskRole;
  readonly subjectId: string;
}

export interface IssuedDeskToken extends DeskIdentity {
  /** Shown once: only its digest is stored. */
  readonly token: string;
  readonly createdAt: number;
}

type DeskTokenTables = {
  desk_tokens: {
    token_digest: string;
    role: string;
    subject_id: string;
    label: string | null;
    created_at: number;
  };
};

/** Desk tokens start with this, so a leaked one is recognisable in logs and secret scanners. */
const TOKEN_PREFIX = 'rdt_';

function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createDeskTokens(storeDb: StoreDatabase) {
  const db: Kysely<StoreTables & DeskTokenTables> = storeDb.withTables<DeskTokenTables>();

  return {
    /** Creates a token (256 random bits) and stores its SHA-256 digest; the token itself is returned once. */
    async issueDeskToken(input: IssueDeskTokenInput): Promise<IssuedDeskToken> {
      const { role, subjectId, label, at } = issueDeskTokenInputSchema.parse(input);
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      await db
        .insertInto('desk_tokens')
        .values({
          token_digest: digestOf(token),
          role,
          subject_id: subjectId,
          label: label ?? null,
          created_at: at,
        })
        .execute();
      return { token, role, subjectId, createdAt: at };
    },

    /** The identity of a presented token, or undefined for an unknown or revoked one. */
    async resolveDeskToken(token: string): Promise<DeskIdentity | undefined> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
      const row = await db
        .selectFrom('desk_tokens')
        .select(['role', 'subject_id'])
        .where('token_digest', '=', digestOf(token))
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return { role: deskRoleSchema.parse(row.role), subjectId: row.subject_id };
    },

    /** Revokes every desk token of a subject (an agent who left, a lost laptop). @returns how many */
    async revokeDeskTokens(subjectId: string): Promise<number> {
      const result = await db
        .deleteFrom('desk_tokens')
        .where('subject_id', '=', agentIdSchema.parse(subjectId))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
