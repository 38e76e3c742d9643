/**
 * The contact store: the small state outside Temporal (decision 4), on SQLite by default and
 * PostgreSQL with `DATABASE_URL`. See docs/contact-store.md.
 */
export { createDatabase, isSqlite } from './create-database';
export type { StoreDatabase } from './create-database';
export { databaseOptionsSchema, sqliteFilePath } from './database-options';
export type { DatabaseOptions, ResolvedDatabaseOptions } from './database-options';
export { migrateToLatest, storeMigrations } from './migrations';
export { createContactStore } from './contact-store';
export type { ContactBlock, ContactStore, LockedContactStore } from './contact-store';
export { SMS_STOP_SOURCE, recordOptOutInputSchema } from './opt-outs';
export type { OptOutFilter, OptOutRecord, RecordOptOutInput } from './opt-outs';
export { addDoNotContactInputSchema } from './do-not-contact';
export type { AddDoNotContactInput, DoNotContactEntry } from './do-not-contact';
export { setPreferencesInputSchema } from './contact-preferences';
export type { ContactPreferences, SetPreferencesInput } from './contact-preferences';
export { beginAttemptInputSchema } from './attempts';
export type { AttemptRecord, AttemptStatus, BeginAttemptInput } from './attempts';
export { RESERVATION_LEASE_MS, RESERVED_OUTCOME, logContactInputSchema } from './contact-log';
export type { ContactLogRecord, LogContactInput } from './contact-log';
export { addressSchema, instantInputSchema, optOutChannelSchema } from './values';
export type { InstantInput, OptOutChannel } from './values';
export { ContactStoreConflictError, ContactStoreNotFoundError } from './store-errors';
export type { StoreTables } from './tables';
export { expectReplyInputSchema } from './reply-routes';
export type { ExpectReplyInput } from './reply-routes';
export {
  agentAddressSchema,
  agentFilterSchema,
  agentIdSchema,
  agentLanguageSchema,
  agentPresenceSchema,
  agentSkillSchema,
  availableAgentQuerySchema,
  upsertAgentInputSchema,
} from './agents';
export type { Agent, AgentFilter, AgentPresence, AvailableAgentQuery, UpsertAgentInput } from './agents';
export { queuedCallbackSchema } from './callback-queue';
export type {
  AgentHold,
  HoldKind,
  DispatchOutlook,
  HoldResult,
  MadeOffer,
  QueuedCallback,
  QueuedCallbackInput,
} from './callback-queue';
export { agentScoreInputSchema } from './agent-scores';
export type { AgentScore, AgentScoreInput } from './agent-scores';
export { deskRoleSchema, issueDeskTokenInputSchema } from './desk-tokens';
export type { DeskIdentity, DeskRole, IssueDeskTokenInput, IssuedDeskToken } from './desk-tokens';
export { deskCallbackSchema } from './desk-callbacks';
export type {
  ClaimableCallback,
  DeskCallback,
  DeskCallbackInput,
  Page,
  PageRequest,
  SupervisedCallback,
  SupervisorFilter,
} from './desk-callbacks';
