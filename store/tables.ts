/**
 * The contact store's tables as Kysely sees them. Times are epoch milliseconds in `bigint`
 * columns (PostgreSQL's int8 is parsed back to a number; epoch ms fit in 2^53 for millennia).
 */
export interface StoreTables {
  opt_outs: OptOutsTable;
  do_not_contact: DoNotContactTable;
  contact_preferences: ContactPreferencesTable;
  attempts: AttemptsTable;
  contact_log: ContactLogTable;
  processed_webhooks: ProcessedWebhooksTable;
  reply_waits: ReplyWaitsTable;
}

/** One row per address and channel (`all` included): the primary key makes recording idempotent. */
export interface OptOutsTable {
  address: string;
  channel: string;
  source: string;
  opted_out_at: number;
}

export interface DoNotContactTable {
  address: string;
  reason: string;
  source: string;
  added_at: number;
}

export interface ContactPreferencesTable {
  customer_key: string;
  preferred_channel: string | null;
  locale: string | null;
  time_zone: string | null;
  updated_at: number;
}

export interface AttemptsTable {
  attempt_key: string;
  channel: string;
  to_address: string;
  started_at: number;
  provider_id: string | null;
  status: string;
  completed_at: number | null;
}

export interface ContactLogTable {
  entry_id: string;
  customer_key: string;
  address: string;
  channel: string;
  purpose: string;
  category: string;
  at: number;
  outcome: string;
  reason: string | null;
  workflow_id: string | null;
}

export interface ProcessedWebhooksTable {
  idempotency_token: string;
  processed_at: number;
}

/** An outreach waiting for an SMS answer from `address`; one row per address and workflow. */
export interface ReplyWaitsTable {
  address: string;
  workflow_id: string;
  /** A contact purpose (`callback`, `reminder`, …), or `any` for routes older than this table. */
  purpose: string;
  asked_at: number;
  expires_at: number;
}
