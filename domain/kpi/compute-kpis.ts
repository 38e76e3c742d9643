import type { CallbackRun } from './callback-run';
import type { KpiQuery, KpiSettings } from './kpi-query';
import { percentile } from './percentile';

/** What the store holds for a period (store/kpi-source.ts reads it). */
export interface KpiSource {
  /** Finished callback runs requested in [fromMs, toMs + recontactDays): later ones serve re-contact only. */
  readonly runs: readonly CallbackRun[];
  /** Logged touches (reservations excluded); those outside [fromMs, toMs) are not counted. */
  readonly touches: readonly { purpose: string; channel: string; at: number }[];
  /** Survey scores; those outside the period are not counted. */
  readonly scores: readonly { agentId: string; type: 'csat' | 'nps'; score: number; at: number }[];
  /** Opt-outs; those outside the period are not counted. */
  readonly optOuts: readonly { channel: string; at: number }[];
}

/** A figure the recorded data cannot support yet, and why. */
export interface UnsupportedFigure {
  readonly figure: string;
  readonly why: string;
}

export interface OfferAcceptance {
  agentId: string;
  offers: number;
  accepted: number;
  rejected: number;
  timedOut: number;
  withdrawn: number;
  /** accepted / (offers − withdrawn − still open); null without such offers. */
  acceptance: number | null;
}

export interface AgentSurvey {
  agentId: string;
  csatResponses: number;
  /** Share of CSAT answers of 4 or 5; null without answers. */
  csat: number | null;
  npsResponses: number;
  /** % promoters (9–10) − % detractors (0–6); null without answers. */
  nps: number | null;
}

export interface KpiReport {
  period: { from: string; to: string; timeZone: string; fromMs: number; toMs: number };
  filters: { queue?: string; agent?: string };
  funnel: {
    abandonsReceived: number;
    abandonedCallers: number;
    ignored: number;
    ignoredByReason: Record<string, number>;
    smsOnly: number;
    acknowledged: number;
    offered: number;
    connected: number;
    voicemail: number;
    unreached: number;
    expired: number;
    resolvedElsewhere: number;
    cancelled: number;
    notAllowed: number;
  };
  recovery: {
    realAbandons: number;
    recovered: number;
    recoveredShare: number | null;
    valuePerAnsweredCall: number;
    valueRecovered: number;
  };
  outreach: { callbackSms: number; callbackCalls: number };
  timeToConversation: { conversations: number; p50Minutes: number | null; p90Minutes: number | null };
  attemptsPerConnectedCallback: number | null;
  offerAcceptance: OfferAcceptance[];
  recontact: { days: number; resolved: number; recontacted: number; share: number | null };
  surveys: AgentSurvey[];
  messages: Record<string, { sent: number }>;
  optedOut: number;
  unsupported: UnsupportedFigure[];
}

/** Outcomes in which the customer talked with an agent. */
const CONVERSATION_OUTCOMES = new Set(['connected', 'follow-up-scheduled', 'wrong-number']);
/** Ignored abandons that were never a caller we could have served: too short to count, no valid number. */
const NOT_REAL_ABANDON = new Set(['short-abandon', 'invalid-number']);

export const UNSUPPORTED_FIGURES: readonly UnsupportedFigure[] = [
  {
    figure: 'outreach cost and cost per recovered caller',
    why: 'the store records each SMS and call, but not SMS segments, call minutes or the price the provider reports',
  },
  {
    figure: 'punctuality against the promised window',
    why: 'the acknowledged estimate is not recorded with the run yet',
  },
  {
    figure: 'reminders confirmed / rescheduled / cancelled / unanswered',
    why: 'reminder runs record only their sends in the store, not the customer’s answer',
  },
  {
    figure: 'delivered and failed messages',
    why: 'delivery reports reach the runs, not the store; a send that failed for good leaves no contact-log row',
  },
  {
    figure: 'detractors rescued and their later outcome',
    why: 'a rescue callback is a callback run of origin rescue, but it is not linked to its survey answer yet',
  },
  {
    figure: 'tenant filter',
    why: 'callback runs do not record their tenant yet',
  },
  {
    figure: 'callbacks still waiting, due or offered now',
    why: 'a run writes its row when it finishes; open runs are in Temporal (Kind = "callback")',
  },
];

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Every KPI of a period from the store's rows: pure, so each figure is tested against known inputs. */
export function computeKpis(
  source: KpiSource,
  query: KpiQuery,
  settings: KpiSettings,
  period: { fromMs: number; toMs: number },
): KpiReport {
  const inQueue = (run: CallbackRun): boolean => query.queue === undefined || run.queue === query.queue;
  const byAgent = (run: CallbackRun): boolean => query.agent === undefined || run.agentId === query.agent;
  const inPeriod = (run: CallbackRun): boolean =>
    run.requestedAtMs >= period.fromMs && run.requestedAtMs < period.toMs;
  const runs = source.runs.filter((run) => inPeriod(run) && inQueue(run) && byAgent(run));
  const abandons = runs.filter((run) => run.origin === 'abandon');

  const count = (predicate: (run: CallbackRun) => boolean): number => abandons.filter(predicate).length;
  const notReached = (run: CallbackRun): boolean => !CONVERSATION_OUTCOMES.has(run.outcome);
  const ignored = abandons.filter((run) => run.decision === 'ignore');
  const ignoredByReason: Record<string, number> = {};
  for (const run of ignored) {
    const reason = run.decisionReason ?? 'unknown';
    ignoredByReason[reason] = (ignoredByReason[reason] ?? 0) + 1;
  }
  const voicemail = (run: CallbackRun): boolean =>
    notReached(run) &&
    (run.outcome === 'unreached' || run.outcome === 'expired') &&
    run.lastAttemptOutcome === 'voicemail';
  const recovered = count((run) => CONVERSATION_OUTCOMES.has(run.outcome));
  const realAbandons = abandons.filter(
    (run) => !(run.decision === 'ignore' && NOT_REAL_ABANDON.has(run.decisionReason ?? '')),
  ).length;

  const conversations = abandons
    .filter((run) => run.conversationAtMs !== null)
    .map((run) => ((run.conversationAtMs ?? 0) - run.requestedAtMs) / 60_000);
  const connectedRuns = runs.filter((run) => CONVERSATION_OUTCOMES.has(run.outcome));
  const connectedAttempts = connectedRuns.reduce((sum, run) => sum + run.customerAttempts, 0);

  const acceptance = new Map<string, OfferAcceptance>();
  for (const run of source.runs.filter((candidate) => inPeriod(candidate) && inQueue(candidate))) {
    for (const offer of run.offers) {
      if (query.agent !== undefined && offer.agentId !== query.agent) continue;
      const row = acceptance.get(offer.agentId) ?? {
        agentId: offer.agentId,
        offers: 0,
        accepted: 0,
        rejected: 0,
        timedOut: 0,
        withdrawn: 0,
        acceptance: null,
      };
      row.offers += 1;
      if (offer.answer === 'accepted') row.accepted += 1;
      if (offer.answer === 'rejected') row.rejected += 1;
      if (offer.answer === 'timed-out') row.timedOut += 1;
      if (offer.answer === 'withdrawn') row.withdrawn += 1;
      acceptance.set(offer.agentId, row);
    }
  }
  for (const row of acceptance.values()) {
    row.acceptance = share(row.accepted, row.accepted + row.rejected + row.timedOut);
  }

  const windowMs = settings.recontactDays * 86_400_000;
  const resolved = runs.filter((run) => run.outcome === 'connected');
  const recontacted = resolved.filter((run) =>
    source.runs.some(
      (later) =>
        later.customerKey === run.customerKey &&
        later.workflowId + later.runId !== run.workflowId + run.runId &&
        later.requestedAtMs > run.closedAtMs &&
        later.requestedAtMs <= run.closedAtMs + windowMs,
    ),
  ).length;

  const surveys = new Map<string, { csat: number[]; nps: number[] }>();
  const inWindow = (row: { at: number }): boolean => row.at >= period.fromMs && row.at < period.toMs;
  for (const score of source.scores.filter(inWindow)) {
    if (query.agent !== undefined && score.agentId !== query.agent) continue;
    const row = surveys.get(score.agentId) ?? { csat: [], nps: [] };
    row[score.type].push(score.score);
    surveys.set(score.agentId, row);
  }

  const messages: Record<string, { sent: number }> = {};
  for (const touch of source.touches.filter(inWindow)) {
    const row = messages[touch.purpose] ?? { sent: 0 };
    row.sent += 1;
    messages[touch.purpose] = row;
  }
  const callbackTouches = source.touches.filter((touch) => inWindow(touch) && touch.purpose === 'callback');

  return {
    period: {
      from: query.from,
      to: query.to,
      timeZone: settings.timeZone,
      fromMs: period.fromMs,
      toMs: period.toMs,
    },
    filters: {
      ...(query.queue !== undefined ? { queue: query.queue } : {}),
      ...(query.agent !== undefined ? { agent: query.agent } : {}),
    },
    funnel: {
      abandonsReceived: abandons.reduce((sum, run) => sum + run.abandonCount, 0),
      abandonedCallers: abandons.length,
      ignored: ignored.length,
      ignoredByReason,
      smsOnly: count((run) => run.outcome === 'sms-sent'),
      acknowledged: count((run) => run.acknowledged),
      offered: count((run) => run.offers.length > 0),
      connected: recovered,
      voicemail: count(voicemail),
      unreached: count((run) => run.outcome === 'unreached' && !voicemail(run)),
      expired: count((run) => run.outcome === 'expired' && !voicemail(run)),
      resolvedElsewhere: count((run) => run.outcome === 'resolved-elsewhere'),
      cancelled: count((run) => run.outcome === 'cancelled'),
      notAllowed: count((run) => run.outcome === 'not-allowed'),
    },
    recovery: {
      realAbandons,
      recovered,
      recoveredShare: share(recovered, realAbandons),
      valuePerAnsweredCall: settings.valuePerAnsweredCall,
      valueRecovered: recovered * settings.valuePerAnsweredCall,
    },
    outreach: {
      callbackSms: callbackTouches.filter((touch) => touch.channel === 'sms').length,
      callbackCalls: callbackTouches.filter((touch) => touch.channel === 'voice').length,
    },
    timeToConversation: {
      conversations: conversations.length,
      p50Minutes: percentile(conversations, 50),
      p90Minutes: percentile(conversations, 90),
    },
    attemptsPerConnectedCallback:
      connectedRuns.length === 0 ? null : connectedAttempts / connectedRuns.length,
    offerAcceptance: [...acceptance.values()].sort((a, b) => a.agentId.localeCompare(b.agentId)),
    recontact: {
      days: settings.recontactDays,
      resolved: resolved.length,
      recontacted,
      share: share(recontacted, resolved.length),
    },
    surveys: [...surveys.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([agentId, row]) => ({
        agentId,
        csatResponses: row.csat.length,
        csat: share(row.csat.filter((score) => score >= 4).length, row.csat.length),
        npsResponses: row.nps.length,
        nps:
          row.nps.length === 0
            ? null
            : (100 * (row.nps.filter((s) => s >= 9).length - row.nps.filter((s) => s <= 6).length)) /
              row.nps.length,
      })),
    messages,
    optedOut: source.optOuts.filter(inWindow).length,
    unsupported: [...UNSUPPORTED_FIGURES],
  };
}
