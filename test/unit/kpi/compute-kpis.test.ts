import {
  computeKpis,
  kpiPeriod,
  kpiQuerySchema,
  kpiSettingsSchema,
  type KpiQuery,
} from '../../../domain/kpi';
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

const settings = kpiSettingsSchema.parse({ timeZone: KPI_TIME_ZONE });
const source = {
  runs: KPI_RUNS,
  touches: [...KPI_TOUCHES, ...KPI_TOUCHES_OUTSIDE],
  scores: KPI_SCORES,
  optOuts: KPI_OPT_OUTS,
  sends: KPI_SENDS,
  reminders: KPI_REMINDERS,
};
const report = (filters: Partial<KpiQuery> = {}) =>
  computeKpis(source, kpiQuerySchema.parse({ from: KPI_FROM, to: KPI_TO, ...filters }), settings, {
    fromMs: KPI_FROM_MS,
    toMs: KPI_TO_MS,
  });

describe('KPI period', () => {
  it('reads the days in the centre’s time zone', () => {
    expect(kpiPeriod(KPI_FROM, KPI_TO, KPI_TIME_ZONE)).toEqual({ fromMs: KPI_FROM_MS, toMs: KPI_TO_MS });
  });

  it('keeps a day of 23 hours when the clocks go forward', () => {
    const { fromMs, toMs } = kpiPeriod('2026-03-29', '2026-03-30', KPI_TIME_ZONE);
    expect(toMs - fromMs).toBe(23 * 3_600_000);
  });

  it('refuses a period that ends before it starts, naming the field', () => {
    const result = kpiQuerySchema.safeParse({ from: '2026-03-03', to: '2026-03-02' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['to']);
  });
});

describe('KPIs of a known day', () => {
  it('counts the callback funnel from abandons received to each ending', () => {
    expect(report().funnel).toEqual({
      abandonsReceived: 11,
      abandonedCallers: 10,
      ignored: 2,
      ignoredByReason: { 'short-abandon': 1, 'opted-out': 1 },
      smsOnly: 0,
      acknowledged: 5,
      offered: 5,
      connected: 3,
      voicemail: 1,
      unreached: 1,
      expired: 1,
      resolvedElsewhere: 1,
      cancelled: 1,
      notAllowed: 0,
    });
  });

  it('shares recovered callers over real abandons and values them per answered call', () => {
    expect(report().recovery).toEqual({
      realAbandons: 9,
      recovered: 3,
      recoveredShare: 3 / 9,
      valuePerAnsweredCall: 5,
      valueRecovered: 15,
      outreachCost: 0.4149,
      costPerRecoveredCaller: expect.closeTo(0.1383, 10),
      netValue: expect.closeTo(14.5851, 10),
    });
  });

  it('takes p50 and p90 of the time from abandon to conversation', () => {
    expect(report().timeToConversation).toEqual({ conversations: 3, p50Minutes: 40, p90Minutes: 100 });
  });

  it('counts attempts per connected callback, every origin', () => {
    expect(report().attemptsPerConnectedCallback).toBe(5 / 4);
  });

  it('measures offer acceptance per agent', () => {
    expect(report().offerAcceptance).toEqual([
      { agentId: 'a1', offers: 3, accepted: 2, rejected: 1, timedOut: 0, withdrawn: 0, acceptance: 2 / 3 },
      { agentId: 'a2', offers: 4, accepted: 3, rejected: 0, timedOut: 1, withdrawn: 0, acceptance: 3 / 4 },
    ]);
  });

  it('finds the resolved customer who came back within the re-contact window', () => {
    expect(report().recontact).toEqual({ days: 7, resolved: 4, recontacted: 2, share: 2 / 4 });
  });

  it('does not count a return after the re-contact window', () => {
    const short = computeKpis(
      source,
      kpiQuerySchema.parse({ from: KPI_FROM, to: KPI_TO }),
      kpiSettingsSchema.parse({ timeZone: KPI_TIME_ZONE, recontactDays: 1 }),
      { fromMs: KPI_FROM_MS, toMs: KPI_TO_MS },
    );
    // r11's customer came back 15 hours after the rescue: within one day.
    expect(short.recontact).toEqual({ days: 1, resolved: 4, recontacted: 1, share: 1 / 4 });
  });

  it('scores CSAT and NPS per agent', () => {
    expect(report().surveys).toEqual([
      { agentId: 'a1', csatResponses: 3, csat: 2 / 3, npsResponses: 4, nps: 25 },
      { agentId: 'a2', csatResponses: 0, csat: null, npsResponses: 1, nps: -100 },
    ]);
  });

  it('counts sends per purpose, callback SMS and calls, and opt-outs inside the period', () => {
    const { messages, outreach, optedOut } = report();
    expect(messages).toEqual({
      callback: { sent: 7, delivered: 2, failed: 0 },
      courtesy: { sent: 2, delivered: 1, failed: 1 },
      notice: { sent: 1, delivered: 0, failed: 1 },
    });
    expect(outreach).toEqual({ callbackSms: 3, callbackCalls: 4 });
    expect(optedOut).toBe(2);
  });

  it('prices segments and started minutes, or takes the provider’s price, per purpose', () => {
    expect(report().cost).toEqual({
      smsPricePerSegment: 0.0083,
      callPricePerMinute: 0.028,
      // r10's call the next day is its callback's cost, not the period's.
      total: { smsSegments: 5, callMinutes: 14, providerPriced: 1, cost: 0.4035 },
      byPurpose: {
        callback: { smsSegments: 3, callMinutes: 14, providerPriced: 1, cost: 0.3869 },
        courtesy: { smsSegments: 2, callMinutes: 0, providerPriced: 0, cost: 0.0166 },
        notice: { smsSegments: 0, callMinutes: 0, providerPriced: 0, cost: 0 },
      },
    });
  });

  it('measures punctuality against the promise of the acknowledgement', () => {
    expect(report().punctuality).toEqual({
      promised: 5,
      called: 4,
      onTime: 2,
      late: 2,
      neverCalled: 1,
      onTimeShare: 2 / 5,
      lateP50Minutes: 15,
      lateP90Minutes: 60,
      lateMaxMinutes: 60,
    });
  });

  it('counts reminders confirmed, rescheduled, cancelled and unanswered per appointment of the period', () => {
    expect(report().reminders).toEqual({
      appointments: 6,
      confirmed: 1,
      rescheduled: 1,
      cancelled: 2,
      cancelledByCustomer: 1,
      unanswered: 1,
      pastAppointment: 1,
      remindersSent: 9,
      confirmedShare: 1 / 6,
      unansweredShare: 1 / 6,
    });
  });

  it('follows rescued detractors to their later outcome', () => {
    expect(report().rescues).toEqual({
      detractorAnswers: 3,
      callbacks: 2,
      reached: 1,
      byOutcome: { connected: 1, unreached: 1 },
      recontacted: 1,
    });
  });

  it('names the figures the data cannot support instead of inventing them', () => {
    expect(report().unsupported.map((figure) => figure.figure)).toEqual([
      'callbacks still waiting, due or offered now',
    ]);
  });
});

describe('KPI filters', () => {
  it('keeps one queue’s callbacks', () => {
    const sales = report({ queue: 'sales' });
    expect(sales.funnel).toMatchObject({
      abandonsReceived: 10,
      abandonedCallers: 9,
      connected: 2,
      offered: 4,
    });
    expect(sales.recovery).toMatchObject({ realAbandons: 8, recovered: 2 });
    expect(sales.timeToConversation).toEqual({ conversations: 2, p50Minutes: 10, p90Minutes: 40 });
    expect(sales.attemptsPerConnectedCallback).toBe(4 / 3);
    expect(sales.offerAcceptance[1]).toMatchObject({
      agentId: 'a2',
      offers: 3,
      accepted: 2,
      acceptance: 2 / 3,
    });
    expect(sales.recontact).toMatchObject({ resolved: 3, recontacted: 2 });
    expect(sales.punctuality).toMatchObject({ promised: 4, called: 3, onTime: 2, late: 1, neverCalled: 1 });
    // r10 (support) is no sales cost.
    expect(sales.recovery).toMatchObject({ outreachCost: 0.3869 });
  });

  it('keeps one tenant’s callbacks', () => {
    const acme = report({ tenant: 'acme' });
    expect(acme.filters).toEqual({ tenant: 'acme' });
    expect(acme.funnel).toMatchObject({ abandonsReceived: 3, abandonedCallers: 2, connected: 2 });
    expect(acme.recovery).toMatchObject({ recovered: 2, outreachCost: 0.3869, valueRecovered: 10 });
    expect(acme.punctuality).toMatchObject({ promised: 2, onTime: 2, late: 0, onTimeShare: 1 });
    expect(report({ tenant: 'nobody' }).funnel.abandonedCallers).toBe(0);
  });

  it('keeps one agent’s callbacks, offers and scores', () => {
    const a1 = report({ agent: 'a1' });
    expect(a1.funnel).toMatchObject({ abandonsReceived: 3, abandonedCallers: 2, connected: 1, voicemail: 1 });
    expect(a1.recovery).toMatchObject({ realAbandons: 2, recovered: 1, recoveredShare: 0.5 });
    expect(a1.offerAcceptance.map((row) => row.agentId)).toEqual(['a1']);
    expect(a1.surveys.map((row) => row.agentId)).toEqual(['a1']);
  });
});

describe('KPI query', () => {
  it('refuses a day the calendar does not have', () => {
    const result = kpiQuerySchema.safeParse({ from: '2026-02-30', to: '2026-03-02' });
    expect(kpiQuerySchema.safeParse({ from: '2026-01-01', to: '2026-13-45' }).error?.issues[0]?.path).toEqual(
      ['to'],
    );
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['from'], 'not a day of the calendar'],
    ]);
  });
});
