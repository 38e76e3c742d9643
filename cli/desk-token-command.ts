import { z } from 'zod';
import type { Config } from '../config/config';
import { agentIdSchema, createContactStore, createDatabase, deskRoleSchema, migrateToLatest } from '../store';

const optionsSchema = z.object({
  subjectId: agentIdSchema,
  role: deskRoleSchema,
  label: z.string().trim().min(1).max(200).optional(),
  revoke: z.boolean().default(false),
});

/**
 * `recontact desk-token <id> --role agent|supervisor [--label …] [--revoke]`: issues an agent-desk
 * token straight into the contact store (prints it once), or revokes every token of the id.
 * Exit 2 on bad flags or an unknown agent.
 */
export async function runDeskTokenCommand(
  config: Config,
  subjectId: string,
  options: { role: string; label?: string; revoke?: boolean },
): Promise<void> {
  const parsed = optionsSchema.safeParse({ subjectId, ...options });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`);
    process.exit(2);
  }
  const db = createDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    ...(config.SQLITE_FILE !== undefined ? { sqliteFile: config.SQLITE_FILE } : {}),
  });
  try {
    await migrateToLatest(db);
    const store = createContactStore(db);
    const { role, label, revoke } = parsed.data;
    if (revoke) {
      console.log(`revoked ${await store.revokeDeskTokens(parsed.data.subjectId)} desk token(s)`);
      return;
    }
    if (role === 'agent' && (await store.getAgent(parsed.data.subjectId)) === undefined) {
      console.error(
        `subjectId: no agent with id ${parsed.data.subjectId}; create the agent first (POST /v1/agents)`,
      );
      process.exitCode = 2;
      return;
    }
    const issued = await store.issueDeskToken({
      role,
      subjectId: parsed.data.subjectId,
      ...(label !== undefined ? { label } : {}),
      at: Date.now(),
    });
    // Only the token on stdout, so scripts can capture it; it is not stored and cannot be shown again.
    console.log(issued.token);
    console.error(`${role} desk token for ${issued.subjectId}: sign in at /desk with it (shown once)`);
  } finally {
    await db.destroy();
  }
}
