import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../api/server';
import { RecontactClient } from '../../client/recontact-client';
import { kpiSettingsSchema } from '../../domain/kpi';
import { createKpiReport } from '../../reports/kpi-report';
import { createContactStore, createDatabase, migrateToLatest, type StoreDatabase } from '../../store';
import { KPI_FROM, KPI_TIME_ZONE, KPI_TO } from '../fixtures/kpi-scenario';
import { seedKpiScenario } from '../fixtures/seed-kpi-scenario';
import { connectTestClient } from '../harness/temporal';

const token = `token-${randomUUID()}`;

describe('GET /v1/reports/kpi', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-report-api-'));
  const settings = kpiSettingsSchema.parse({ timeZone: KPI_TIME_ZONE, valuePerAnsweredCall: 8 });
  let db: StoreDatabase;
  let app: FastifyInstance;
  let recontact: RecontactClient;
  let base: string;

  beforeAll(async () => {
    db = createDatabase({ dataDir: dir });
    await migrateToLatest(db);
    const store = createContactStore(db);
    await seedKpiScenario(store);
    recontact = new RecontactClient(await connectTestClient(), `report-api-${randomUUID()}`);
    app = await buildApiServer({ client: recontact, tokens: [token], store, kpi: settings });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await app.close();
    await recontact.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (
    query: string,
    headers: Record<string, string> = { authorization: `Bearer ${token}` },
  ) => {
    const response = await fetch(`${base}/v1/reports/kpi?${query}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('gives the same figures as the report the CLI prints, for the known day', async () => {
    const { status, body } = await get(`from=${KPI_FROM}&to=${KPI_TO}`);
    expect(status).toBe(200);
    const expected = await createKpiReport({ store: createContactStore(db), settings })({
      from: KPI_FROM,
      to: KPI_TO,
    });
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.funnel).toMatchObject({ abandonsReceived: 11, connected: 3 });
    expect(body.recovery).toMatchObject({ recovered: 3, valueRecovered: 24, outreachCost: 0.4149 });
    expect(body.punctuality).toMatchObject({ promised: 5, onTime: 2, late: 2, neverCalled: 1 });
    expect(body.cost.total).toEqual({ smsSegments: 5, callMinutes: 14, providerPriced: 1, cost: 0.4035 });
    expect(body.reminders).toMatchObject({ appointments: 6, confirmed: 1, rescheduled: 1, cancelled: 2 });
    expect(body.rescues).toMatchObject({ detractorAnswers: 3, reached: 1, recontacted: 1 });
    expect(body.messages.courtesy).toEqual({ sent: 2, delivered: 1, failed: 1 });
  });

  it('filters by tenant', async () => {
    const { status, body } = await get(`from=${KPI_FROM}&to=${KPI_TO}&tenant=globex`);
    expect(status).toBe(200);
    expect(body.filters).toEqual({ tenant: 'globex' });
    expect(body.funnel).toMatchObject({ abandonedCallers: 1, connected: 1 });
    expect(body.punctuality).toMatchObject({ promised: 1, late: 1, lateMaxMinutes: 60 });
  });

  it('filters by queue and agent', async () => {
    const { body } = await get(`from=${KPI_FROM}&to=${KPI_TO}&queue=sales&agent=a1`);
    expect(body.filters).toEqual({ queue: 'sales', agent: 'a1' });
    expect(body.funnel).toMatchObject({ abandonedCallers: 2, connected: 1, voicemail: 1 });
  });

  it('refuses a bad period with 400 naming the field', async () => {
    const badDate = await get(`from=2026-3-2&to=${KPI_TO}`);
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.problems).toEqual([expect.objectContaining({ field: 'querystring.from' })]);
    const backwards = await get(`from=${KPI_TO}&to=${KPI_FROM}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.problems).toEqual([expect.objectContaining({ field: 'querystring.to' })]);
    const missing = await get(`from=${KPI_FROM}`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('querystring.to');
  });

  it('needs a bearer token', async () => {
    const { status } = await get(`from=${KPI_FROM}&to=${KPI_TO}`, {});
    expect(status).toBe(401);
  });
});
