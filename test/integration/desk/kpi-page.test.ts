import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApiServer } from '../../../api/server';
import { RecontactClient } from '../../../client/recontact-client';
import { kpiSettingsSchema, type KpiReport } from '../../../domain/kpi';
import { createContactStore, createDatabase, migrateToLatest, type StoreDatabase } from '../../../store';
import { KPI_FROM, KPI_TIME_ZONE, KPI_TO } from '../../fixtures/kpi-scenario';
import { seedKpiScenario } from '../../fixtures/seed-kpi-scenario';
import { artifactPath, launchChromium } from '../../harness/desk-browser';
import { connectTestClient } from '../../harness/temporal';

const apiToken = `token-${randomUUID()}`;
const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

/** The supervisor's KPI page in a headless Chromium, its numbers checked against /v1/reports/kpi. */
describe('KPI page in a browser', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-kpi-page-'));
  let db: StoreDatabase;
  let app: FastifyInstance;
  let recontact: RecontactClient;
  let browser: Browser;
  let base: string;
  let supervisorToken: string;

  beforeAll(async () => {
    db = createDatabase({ dataDir: dir });
    await migrateToLatest(db);
    const store = createContactStore(db);
    await seedKpiScenario(store);
    supervisorToken = (await store.issueDeskToken({ role: 'supervisor', subjectId: 'sue', at: Date.now() }))
      .token;
    recontact = new RecontactClient(await connectTestClient(), `kpi-page-${randomUUID()}`, {
      customerKeySecret: 'kpi-page-secret-0123456789abcdef',
    });
    app = await buildApiServer({
      client: recontact,
      tokens: [apiToken],
      store,
      callbackDispatch: { offerMs: 30_000 },
      kpi: kpiSettingsSchema.parse({ timeZone: KPI_TIME_ZONE }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    base = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await recontact?.close();
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const fromApi = async (query: string): Promise<KpiReport> => {
    const response = await fetch(`${base}/v1/reports/kpi?${query}`, {
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as KpiReport;
  };

  const show = async (page: Page, filters: { queue?: string } = {}) => {
    await page.locator('#from').fill(KPI_FROM);
    await page.locator('#to').fill(KPI_TO);
    await page.locator('#queue').fill(filters.queue ?? '');
    await page.getByRole('button', { name: 'Show' }).click();
    await page
      .locator(`body[data-loaded^="${KPI_FROM}/${KPI_TO}/"][data-loaded*="queue=${filters.queue ?? ''}"]`)
      .or(page.locator(`body[data-loaded="${KPI_FROM}/${KPI_TO}/from=${KPI_FROM}&to=${KPI_TO}"]`))
      .first()
      .waitFor();
  };
  const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`).first().textContent();

  it('shows the funnel, recovery and per-agent table with the numbers the API gives, charted', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/desk/kpi`);
      await page.locator('#token').fill(supervisorToken);
      await page.locator('#token').press('Enter');
      await page.locator('#desk').waitFor({ state: 'visible' });
      await show(page);
      const report = await fromApi(`from=${KPI_FROM}&to=${KPI_TO}`);

      for (const [key, value] of Object.entries(report.funnel)) {
        if (typeof value === 'number')
          await expect(figure(page, `funnel.${key}`)).resolves.toBe(String(value));
      }
      await expect(figure(page, 'recovery.recoveredShare')).resolves.toBe(
        percent(report.recovery.recoveredShare),
      );
      await expect(figure(page, 'recovery.recovered')).resolves.toBe(String(report.recovery.recovered));
      await expect(figure(page, 'timeToConversation.p50Minutes')).resolves.toBe(
        String(report.timeToConversation.p50Minutes),
      );
      await expect(figure(page, 'recontact.share')).resolves.toBe(percent(report.recontact.share));
      const money = (value: number | null) => (value === null ? '—' : String(Number(value.toFixed(2))));
      await expect(figure(page, 'recovery.outreachCost')).resolves.toBe(money(report.recovery.outreachCost));
      await expect(figure(page, 'recovery.costPerRecoveredCaller')).resolves.toBe(
        money(report.recovery.costPerRecoveredCaller),
      );
      await expect(figure(page, 'recovery.netValue')).resolves.toBe(money(report.recovery.netValue));
      await expect(figure(page, 'punctuality.onTimeShare')).resolves.toBe(
        percent(report.punctuality.onTimeShare),
      );
      for (const key of ['promised', 'onTime', 'late', 'neverCalled', 'lateP90Minutes'] as const)
        await expect(figure(page, `punctuality.${key}`)).resolves.toBe(String(report.punctuality[key]));
      for (const [purpose, row] of Object.entries(report.cost.byPurpose)) {
        const cells = page.locator(`#cost-rows tr[data-purpose="${purpose}"]`);
        await expect(cells.locator('[data-figure="smsSegments"]').textContent()).resolves.toBe(
          String(row.smsSegments),
        );
        await expect(cells.locator('[data-figure="callMinutes"]').textContent()).resolves.toBe(
          String(row.callMinutes),
        );
        await expect(cells.locator('[data-figure="cost"]').textContent()).resolves.toBe(String(row.cost));
      }
      for (const [purpose, row] of Object.entries(report.messages)) {
        const cells = page.locator(`#message-rows tr[data-purpose="${purpose}"]`);
        for (const key of ['sent', 'delivered', 'failed'] as const)
          await expect(cells.locator(`[data-figure="${key}"]`).textContent()).resolves.toBe(String(row[key]));
      }
      for (const key of ['appointments', 'confirmed', 'rescheduled', 'cancelled', 'unanswered'] as const)
        await expect(figure(page, `reminders.${key}`)).resolves.toBe(String(report.reminders[key]));
      for (const key of ['detractorAnswers', 'callbacks', 'reached', 'recontacted'] as const)
        await expect(figure(page, `rescues.${key}`)).resolves.toBe(String(report.rescues[key]));

      for (const row of report.offerAcceptance) {
        const cells = page.locator(`#agent-rows tr[data-agent-id="${row.agentId}"]`);
        await expect(cells.locator('[data-figure="offers"]').textContent()).resolves.toBe(String(row.offers));
        await expect(cells.locator('[data-figure="accepted"]').textContent()).resolves.toBe(
          String(row.accepted),
        );
        await expect(cells.locator('[data-figure="acceptance"]').textContent()).resolves.toBe(
          percent(row.acceptance),
        );
      }
      const a1 = report.surveys.find((row) => row.agentId === 'a1');
      await expect(
        page.locator('#agent-rows tr[data-agent-id="a1"] [data-figure="csat"]').textContent(),
      ).resolves.toBe(percent(a1?.csat ?? null));

      // The chart drew the same funnel.
      const charted = await page.evaluate(() => {
        // Runs in the page: its globals, typed here by what this test reads.
        const page = globalThis as unknown as {
          Chart: { getChart(canvas: unknown): { data: { datasets: { data: number[] }[] } } | undefined };
          document: { getElementById(id: string): unknown };
        };
        return page.Chart.getChart(page.document.getElementById('funnel-chart'))?.data.datasets[0]?.data;
      });
      expect(charted?.slice(0, 2)).toEqual([report.funnel.abandonsReceived, report.funnel.abandonedCallers]);
      const punctual = await page.evaluate(() => {
        const page = globalThis as unknown as {
          Chart: { getChart(canvas: unknown): { data: { datasets: { data: number[] }[] } } | undefined };
          document: { getElementById(id: string): unknown };
        };
        return page.Chart.getChart(page.document.getElementById('punctuality-chart'))?.data.datasets[0]?.data;
      });
      expect(punctual).toEqual([
        report.punctuality.onTime,
        report.punctuality.late,
        report.punctuality.neverCalled,
      ]);
      await page.screenshot({ path: artifactPath('kpi-page.png'), fullPage: true });

      await show(page, { queue: 'sales' });
      const sales = await fromApi(`from=${KPI_FROM}&to=${KPI_TO}&queue=sales`);
      await expect(figure(page, 'funnel.abandonsReceived')).resolves.toBe(
        String(sales.funnel.abandonsReceived),
      );
      await expect(figure(page, 'recovery.recoveredShare')).resolves.toBe(
        percent(sales.recovery.recoveredShare),
      );
    } finally {
      await context.close();
    }
  }, 90_000);

  it('refuses the report without a desk token, and names a bad period', async () => {
    const noToken = await fetch(`${base}/desk/api/supervisor/kpi?from=${KPI_FROM}&to=${KPI_TO}`);
    expect(noToken.status).toBe(401);
    const bad = await fetch(`${base}/desk/api/supervisor/kpi?from=${KPI_TO}&to=${KPI_FROM}`, {
      headers: { authorization: `Bearer ${supervisorToken}` },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('querystring.to');
  });
});
