import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONTACT_POLICY_FILE } from '../../config/contact-policy';
import { projectRoot } from '../../runtime/project-paths';
import { createContactStore, createDatabase, migrateToLatest } from '../../store';
import { KPI_FROM, KPI_TIME_ZONE, KPI_TO } from '../fixtures/kpi-scenario';
import { seedKpiScenario } from '../fixtures/seed-kpi-scenario';
import { recontactCommand, runToEnd } from '../harness/cli';

// `recontact report` reads the contact store only: no Temporal, a SQLite file seeded with the known day.
describe('recontact report (command line)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-report-cli-'));
  const policyFile = path.join(dir, 'policy.json');
  beforeAll(async () => {
    const policy = JSON.parse(
      readFileSync(path.join(projectRoot(), DEFAULT_CONTACT_POLICY_FILE), 'utf8'),
    ) as {
      centreHours: { timeZone: string };
    };
    policy.centreHours.timeZone = KPI_TIME_ZONE;
    writeFileSync(policyFile, JSON.stringify(policy));
    const db = createDatabase({ dataDir: dir });
    try {
      await migrateToLatest(db);
      await seedKpiScenario(createContactStore(db));
    } finally {
      await db.destroy();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) =>
    runToEnd([...recontactCommand, 'report', ...args], {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dir,
      CONTACT_POLICY_FILE: policyFile,
      KPI_VALUE_PER_ANSWERED_CALL: '12.5',
      KPI_SMS_PRICE_PER_SEGMENT: '0.01',
      KPI_CALL_PRICE_PER_MINUTE: '0.05',
    });

  it('prints the known day as JSON, valued at the configured price of an answered call', async () => {
    const { code, stdout } = await cli('--from', KPI_FROM, '--to', KPI_TO, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      funnel: Record<string, unknown>;
      recovery: Record<string, unknown> & { costPerRecoveredCaller: number };
      cost: Record<string, unknown>;
      period: { timeZone: string };
    };
    expect(report.period.timeZone).toBe(KPI_TIME_ZONE);
    expect(report.funnel).toMatchObject({ abandonsReceived: 11, connected: 3, voicemail: 1, ignored: 2 });
    expect(report.recovery).toMatchObject({ recovered: 3, valuePerAnsweredCall: 12.5, valueRecovered: 37.5 });
    // At the configured prices: r1 1 segment + 3 min, r2 2 segments + 1 min + 0.25 the provider
    // reported, r10 1 min (the next day) = 0.53 for the abandons; the day's sends cost 0.5.
    expect(report.recovery).toMatchObject({ outreachCost: 0.53, netValue: 37.5 - 0.53 });
    expect(report.recovery.costPerRecoveredCaller).toBeCloseTo(0.53 / 3, 10);
    expect(report.cost).toMatchObject({
      smsPricePerSegment: 0.01,
      callPricePerMinute: 0.05,
      total: { smsSegments: 5, callMinutes: 14, providerPriced: 1, cost: 0.5 },
    });
  });

  it('prints punctuality, cost, deliveries, reminders and rescues as rows, and filters by tenant', async () => {
    const csv = await cli('--from', KPI_FROM, '--to', KPI_TO, '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'cost per recovered caller,0.1767',
        'called as promised,40.0% (2)',
        'late by p90 (min),60',
        'courtesy delivered,1',
        'courtesy failed,1',
        'appointments confirmed,1',
        'appointments unanswered,1',
        'detractors rescued,1',
        'rescued customers back within 7 days,1',
      ]),
    );
    const acme = await cli('--from', KPI_FROM, '--to', KPI_TO, '--tenant', 'acme');
    expect(acme.code).toBe(0);
    expect(acme.stdout).toMatch(/^tenant\s+acme$/m);
    expect(acme.stdout).toMatch(/^abandons received\s+3$/m);
    expect(acme.stdout).toMatch(/^called as promised\s+100\.0% \(2\)$/m);
  });

  it('prints a table and a CSV file of the same figures, filtered by queue', async () => {
    const table = await cli('--from', KPI_FROM, '--to', KPI_TO, '--queue', 'sales');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^abandons received\s+10$/m);
    expect(table.stdout).toMatch(/^recovered share\s+25\.0%$/m);
    const csv = await cli('--from', KPI_FROM, '--to', KPI_TO, '--queue', 'sales', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')).toEqual(
      expect.arrayContaining(['figure,value', 'abandons received,10', 'offer acceptance: a1,66.7% (2/3)']),
    );
  });

  it('refuses a bad period or format, naming the field, with exit 2', async () => {
    const backwards = await cli('--from', KPI_TO, '--to', KPI_FROM);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('to: must be after from');
    const badDate = await cli('--from', '2026-3-2', '--to', KPI_TO);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('from:');
    const badFormat = await cli('--from', KPI_FROM, '--to', KPI_TO, '--format', 'xml');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('format:');
  });
});
