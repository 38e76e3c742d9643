import { computeKpis, kpiQuerySchema, kpiSettingsSchema } from '../../../domain/kpi';
import { createKpiReport } from '../../../reports/kpi-report';
import { createContactStore, migrateToLatest, type ContactStore } from '../../../store';
import {
  KPI_FROM,
  KPI_FROM_MS,
  KPI_OPT_OUTS,
  KPI_REMINDERS,
  KPI_RUNS,
  KPI_SCORES,
  KPI_SENDS,
  KPI_TIME_ZONE,
  KPI_TO,
  KPI_TO_MS,
  KPI_TOUCHES,
  KPI_TOUCHES_OUTSIDE,
} from '../../fixtures/kpi-scenario';
import { seedKpiScenario } from '../../fixtures/seed-kpi-scenario';
import { describeEachBackend, type FreshDatabase } from './store-backends';

describeEachBackend('KPI source', (backend) => {
  let database: FreshDatabase;
  let store: ContactStore;
  const settings = kpiSettingsSchema.parse({ timeZone: KPI_TIME_ZONE });
  beforeAll(async () => {
    database = await backend.freshDatabase();
    const db = database.open();
    await migrateToLatest(db);
    store = createContactStore(db);
    await seedKpiScenario(store);
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('reads back every finished run as it was recorded, once', async () => {
    expect(await store.recordCallbackRun(KPI_RUNS[0]!)).toBe(false);
    const runs = await store.callbackRunsRequested(0, Date.parse('2027-01-01T00:00:00Z'));
    expect(runs).toEqual([...KPI_RUNS].sort((a, b) => a.requestedAtMs - b.requestedAtMs));
  });

  it('gives the report the known day’s figures, read in the centre’s time zone', async () => {
    const report = await createKpiReport({ store, settings })({ from: KPI_FROM, to: KPI_TO });
    const expected = computeKpis(
      {
        runs: KPI_RUNS,
        touches: [...KPI_TOUCHES, ...KPI_TOUCHES_OUTSIDE],
        scores: KPI_SCORES,
        optOuts: KPI_OPT_OUTS,
        sends: KPI_SENDS,
        reminders: KPI_REMINDERS,
      },
      kpiQuerySchema.parse({ from: KPI_FROM, to: KPI_TO }),
      settings,
      { fromMs: KPI_FROM_MS, toMs: KPI_TO_MS },
    );
    expect(report).toEqual(expected);
    expect(report.funnel).toMatchObject({ abandonsReceived: 11, connected: 3, voicemail: 1, ignored: 2 });
    expect(report.recovery).toMatchObject({ realAbandons: 9, recovered: 3, valueRecovered: 15 });
    expect(report.timeToConversation).toEqual({ conversations: 3, p50Minutes: 40, p90Minutes: 100 });
    expect(report.recontact).toMatchObject({ resolved: 4, recontacted: 2 });
    expect(report.messages).toEqual({
      callback: { sent: 7, delivered: 2, failed: 0 },
      courtesy: { sent: 2, delivered: 1, failed: 1 },
      notice: { sent: 1, delivered: 0, failed: 1 },
    });
    expect(report.cost.total).toEqual({ smsSegments: 5, callMinutes: 14, providerPriced: 1, cost: 0.4035 });
    expect(report.recovery).toMatchObject({ outreachCost: 0.4149 });
    expect(report.punctuality).toMatchObject({ promised: 5, onTime: 2, late: 2, neverCalled: 1 });
    expect(report.reminders).toMatchObject({ appointments: 6, confirmed: 1, cancelled: 2, unanswered: 1 });
    expect(report.rescues).toMatchObject({ callbacks: 2, reached: 1, recontacted: 1 });
    expect(report.optedOut).toBe(2);
    expect(report.surveys[0]).toMatchObject({ agentId: 'a1', csat: 2 / 3, nps: 25 });
  });

  it('keeps the latest delivery status whichever order the send and its callbacks were recorded in', async () => {
    const sends = await store.providerReports(KPI_FROM_MS, Date.parse('2027-01-01T00:00:00Z'));
    expect(sends).toEqual([...KPI_SENDS].sort((a, b) => a.at - b.at));
  });

  it('filters by queue, agent and tenant in the store’s report as in the pure one', async () => {
    expect(
      (await createKpiReport({ store, settings })({ from: KPI_FROM, to: KPI_TO, tenant: 'acme' })).funnel,
    ).toMatchObject({ abandonedCallers: 2, connected: 2 });
    const report = createKpiReport({ store, settings });
    expect((await report({ from: KPI_FROM, to: KPI_TO, queue: 'support' })).funnel).toMatchObject({
      abandonedCallers: 1,
      connected: 1,
    });
    expect((await report({ from: KPI_FROM, to: KPI_TO, agent: 'a2' })).offerAcceptance).toEqual([
      { agentId: 'a2', offers: 4, accepted: 3, rejected: 0, timedOut: 1, withdrawn: 0, acceptance: 3 / 4 },
    ]);
  });
});
