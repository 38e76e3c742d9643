import { z } from 'zod';
import type { Config } from '../config/config';
import { loadContactPolicy } from '../config/contact-policy';
import { kpiQuerySchema, kpiSettingsSchema, type KpiReport } from '../domain/kpi';
import { createKpiReport } from '../reports/kpi-report';
import { createContactStore, createDatabase, migrateToLatest } from '../store';
import { kpiRows } from '../reports/kpi-rows';

const reportFormatSchema = z.object({ format: z.enum(['table', 'json', 'csv']).default('table') });

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The report as `format` prints it: JSON whole; table and CSV one figure per row. */
export function formatKpiReport(report: KpiReport, format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  const rows = kpiRows(report);
  if (format === 'csv') {
    return ['figure,value', ...rows.map(([figure, value]) => `${csvField(figure)},${csvField(value)}`)].join(
      '\n',
    );
  }
  const width = Math.max(...rows.map(([figure]) => figure.length));
  return rows.map(([figure, value]) => `${figure.padEnd(width)}  ${value}`).join('\n');
}

/**
 * `recontact report --from --to [--queue --agent --tenant] [--format table|json|csv]`: the KPIs of a period of
 * the centre's calendar, read from the contact store. Exit 2 naming the field on a bad flag.
 */
export async function runReportCommand(config: Config, options: unknown): Promise<void> {
  const parsed = kpiQuerySchema.and(reportFormatSchema).safeParse(options);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`);
    process.exitCode = 2;
    return;
  }
  const { format, ...query } = parsed.data;
  const settings = kpiSettingsSchema.parse({
    timeZone: loadContactPolicy(config.CONTACT_POLICY_FILE).centreHours.timeZone,
    valuePerAnsweredCall: config.KPI_VALUE_PER_ANSWERED_CALL,
    recontactDays: config.KPI_RECONTACT_DAYS,
    smsPricePerSegment: config.KPI_SMS_PRICE_PER_SEGMENT,
    callPricePerMinute: config.KPI_CALL_PRICE_PER_MINUTE,
  });
  const db = createDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    ...(config.SQLITE_FILE !== undefined ? { sqliteFile: config.SQLITE_FILE } : {}),
  });
  try {
    await migrateToLatest(db);
    const report = await createKpiReport({ store: createContactStore(db), settings })(query);
    console.log(formatKpiReport(report, format));
  } finally {
    await db.destroy();
  }
}
