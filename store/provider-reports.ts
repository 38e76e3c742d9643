import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { deliveryStatusRank } from '../domain/kpi/delivery-status';
import type { ProviderSend } from '../domain/kpi/outreach-cost';
import type { StoreDatabase } from './create-database';
import type { StoreTables } from './tables';

// A type alias, not an interface: `withTables` needs an index-signature-compatible type.
type ReportTables = {
  provider_reports: {
    attempt_key: string;
    channel: string;
    purpose: string | null;
    at: number | null;
    status: string;
    status_rank: number;
    segments: number | null;
    duration_seconds: number | null;
    price: number | null;
  };
};

export const sendReportInputSchema = z.object({
  attemptKey: z.string().min(1).max(300),
  channel: z.enum(['sms', 'voice']),
  purpose: z.string().min(1).max(50),
  /** When it was handed to the provider (or refused for good). Epoch ms. */
  at: z.number().int().nonnegative(),
  /** `sent` (an SMS accepted), `placed` (a call requested), `failed` (refused for good). */
  status: z.enum(['sent', 'placed', 'failed']),
  /** SMS segments the provider reports (`num_segments`). */
  segments: z.number().int().min(1).max(100).optional(),
  /** The provider's price, when it reports one (Twilio: negative, in `price_unit`). */
  price: z.number().finite().optional(),
});
export type SendReportInput = z.input<typeof sendReportInputSchema>;

export const statusReportInputSchema = z.object({
  attemptKey: z.string().min(1).max(300),
  channel: z.enum(['sms', 'voice']),
  /** The status callback's `MessageStatus` or `CallStatus`, lower case. */
  status: z.string().min(1).max(50),
  /** `CallDuration` of a finished call. */
  durationSeconds: z.number().int().nonnegative().optional(),
  price: z.number().finite().optional(),
});
export type StatusReportInput = z.input<typeof statusReportInputSchema>;

/**
 * What each SMS and call cost and how its delivery ended (migration 0010): the send writes its
 * purpose, segments and price, the status webhook its status and seconds; either may come first.
 */
export function createProviderReports(storeDb: StoreDatabase) {
  const db: Kysely<StoreTables & ReportTables> = storeDb.withTables<ReportTables>();
  /** The later of the two statuses; the other columns keep what either write knew. */
  const merge = {
    status: sql<string>`case when excluded.status_rank > provider_reports.status_rank then excluded.status else provider_reports.status end`,
    status_rank: sql<number>`case when excluded.status_rank > provider_reports.status_rank then excluded.status_rank else provider_reports.status_rank end`,
    purpose: sql<string | null>`coalesce(provider_reports.purpose, excluded.purpose)`,
    at: sql<number | null>`coalesce(provider_reports.at, excluded.at)`,
    segments: sql<number | null>`coalesce(excluded.segments, provider_reports.segments)`,
    duration_seconds: sql<
      number | null
    >`coalesce(excluded.duration_seconds, provider_reports.duration_seconds)`,
    price: sql<number | null>`coalesce(excluded.price, provider_reports.price)`,
  };
  return {
    /** The send's own report; idempotent (a retried activity writes the same). */
    async recordSendReport(input: SendReportInput): Promise<void> {
      const report = sendReportInputSchema.parse(input);
      await db
        .insertInto('provider_reports')
        .values({
          attempt_key: report.attemptKey,
          channel: report.channel,
          purpose: report.purpose,
          at: report.at,
          status: report.status,
          status_rank: deliveryStatusRank(report.status),
          segments: report.segments ?? null,
          duration_seconds: null,
          price: report.price ?? null,
        })
        .onConflict((conflict) => conflict.column('attempt_key').doUpdateSet(merge))
        .execute();
    },

    /** A status callback's report: a status earlier than the recorded one changes nothing. */
    async recordStatusReport(input: StatusReportInput): Promise<void> {
      const report = statusReportInputSchema.parse(input);
      await db
        .insertInto('provider_reports')
        .values({
          attempt_key: report.attemptKey,
          channel: report.channel,
          purpose: null,
          at: null,
          status: report.status,
          status_rank: deliveryStatusRank(report.status),
          segments: null,
          duration_seconds: report.durationSeconds ?? null,
          price: report.price ?? null,
        })
        .onConflict((conflict) => conflict.column('attempt_key').doUpdateSet(merge))
        .execute();
    },

    /** Sends made in [fromMs, toMs) (rows a status callback wrote without a send are not counted). */
    async providerReports(fromMs: number, toMs: number): Promise<ProviderSend[]> {
      const rows = await db
        .selectFrom('provider_reports')
        .selectAll()
        .where('at', '>=', fromMs)
        .where('at', '<', toMs)
        .where('purpose', 'is not', null)
        .orderBy('at')
        .execute();
      return rows.map((row) => ({
        attemptKey: row.attempt_key,
        channel: row.channel === 'voice' ? 'voice' : 'sms',
        purpose: row.purpose ?? 'unknown',
        at: Number(row.at),
        status: row.status,
        segments: row.segments === null ? null : Number(row.segments),
        durationSeconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
        price: row.price === null ? null : Number(row.price),
      }));
    },
  };
}
