import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Every custom search attribute Recontact sets, defined once. The dev server registers them
 * at start-up from this list, workflows upsert them, and administrators filter on them in the
 * Temporal UI, e.g. `Kind = "callback" AND State = "waiting-for-agent"`.
 *
 * Budget on the dev server's SQLite visibility: 10 Keyword, 3 Int, 3 Datetime per namespace.
 * In use: 8 Keyword, 2 Int, 2 Datetime. Phone numbers and names never go here (they are not
 * encrypted by a payload codec); `Customer` is a keyed hash.
 */
export const searchAttributes = {
  /** callback | reminder | rescue | courtesy | notice | probe */
  Kind: defineSearchAttributeKey('Kind', SearchAttributeType.KEYWORD),
  /** Keyed hash of the customer's normalised number or e-mail address. */
  Customer: defineSearchAttributeKey('Customer', SearchAttributeType.KEYWORD),
  Skill: defineSearchAttributeKey('Skill', SearchAttributeType.KEYWORD),
  /** Where the run is now, e.g. deciding, waiting-for-window, waiting-for-agent, dialling, done. */
  State: defineSearchAttributeKey('State', SearchAttributeType.KEYWORD),
  /** Final result, e.g. connected, resolved-elsewhere, expired, opted-out. */
  Outcome: defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD),
  AgentId: defineSearchAttributeKey('AgentId', SearchAttributeType.KEYWORD),
  Queue: defineSearchAttributeKey('Queue', SearchAttributeType.KEYWORD),
  Tenant: defineSearchAttributeKey('Tenant', SearchAttributeType.KEYWORD),
  Priority: defineSearchAttributeKey('Priority', SearchAttributeType.INT),
  Attempts: defineSearchAttributeKey('Attempts', SearchAttributeType.INT),
  /** When the next contact is due (the earliest allowed instant). */
  DueAt: defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME),
  /** When the customer first asked (the original abandon time keeps their place). */
  RequestedAt: defineSearchAttributeKey('RequestedAt', SearchAttributeType.DATETIME),
} as const;

export const allSearchAttributes = Object.values(searchAttributes);
