import type { CallbackRun } from './callback-run';
import type { KpiQuery, KpiSettings } from './kpi-query';
import { percentile } from './percentile';
import { outreachCost, type OutreachCost, type ProviderSend } from './outreach-cost';
import { punctuality, type Punctuality } from './punctuality';
import { reminderFigures, type ReminderFigures, type ReminderRun } from './reminder-figures';
import { DELIVERED_STATUSES, FAILED_STATUSES } from './delivery-status';

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
  /**
   * SMS and calls handed to the provider (or refused for good), with cost and delivery: those in
   * [fromMs, toMs + recontactDays) — a callback's later sends count for its cost, only the period's
   * for the totals.
   */
  readonly sends: readonly ProviderSend[];
  /** Finished reminder runs whose appointment fell in the period. */
  readonly reminders: readonly ReminderRun[];
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
  filters: { queue?: string; agent?: string; tenant?: string };
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
    /** What the abandons' callbacks cost (their SMS and calls). */
    outreachCost: number;
    /** outreachCost / recovered; null without a recovered caller. */
    costPerRecoveredCaller: number | null;
    /** valueRecovered − outreachCost: the customer value the seeds define (benefit − cost). */
    netValue: number;
  };
  outreach: { callbackSms: number; callbackCalls: number };
  cost: {
    smsPricePerSegment: number;
    callPricePerMinute: number;
    total: OutreachCost;
    byPurpose: Record<string, OutreachCost>;
  };
  punctuality: Punctuality;
  reminders: ReminderFigures;
  rescues: {
    /** NPS 0–6 and CSAT 1–2 answers recorded in the period (answers that name an agent). */
    detractorAnswers: number;
    /** Rescue callbacks requested in the period. */
    callbacks: number;
    /** Rescued: the rescue desk talked with the customer. */
    reached: number;
    byOutcome: Record<string, number>;
    /** Of those reached, the customer came back (another callback) within the re-contact window. */
    recontacted: number;
  };
  timeToConversation: { conversations: number; p50Minutes: number | null; p90Minutes: number | null };
  attemptsPerConnectedCallback: number | null;
  offerAcceptance: OfferAcceptance[];
  recontact: { days: number; resolved: number; recontacted: number; share: number | null };
  surveys: AgentSurvey[];
  messages: Record<string, { sent: number; delivered: number; failed: number }>;
  optedOut: number;
  unsupported: UnsupportedFigure[];
}

/** Outcomes in which the customer talked with an agent. */
const CONVERSATION_OUTCOMES = new Set(['connected', 'follow-up-scheduled', 'wrong-number']);
/** Ignored abandons that were never a caller we could have served: too short to count, no valid number. */
const NOT_REAL_ABANDON = new Set(['short-abandon', 'invalid-number']);

export const UNSUPPORTED_FIGURES: readonly UnsupportedFigure[] = [
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
  const ofTenant = (run: CallbackRun): boolean => query.tenant === undefined || run.tenant === query.tenant;
  const inPeriod = (run: CallbackRun): boolean =>
    run.requestedAtMs >= period.fromMs && run.requestedAtMs < period.toMs;
  const runs = source.runs.filter((run) => inPeriod(run) && inQueue(run) && byAgent(run) && ofTenant(run));
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
  for (const run of source.runs.filter(
    (candidate) => inPeriod(candidate) && inQueue(candidate) && ofTenant(candidate),
  )) {
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

  const inWindow = (row: { at: number }): boolean => row.at >= period.fromMs && row.at < period.toMs;
  const windowMs = settings.recontactDays * 86_400_000;
  const cameBack = (run: CallbackRun): boolean =>
    source.runs.some(
      (later) =>
        later.customerKey === run.customerKey &&
        later.workflowId + later.runId !== run.workflowId + run.runId &&
        later.requestedAtMs > run.closedAtMs &&
        later.requestedAtMs <= run.closedAtMs + windowMs,
    );
  const resolved = runs.filter((run) => run.outcome === 'connected');
  const recontacted = resolved.filter(cameBack).length;

  // A run's sends carry its attempt-key prefix (workflows/attempt-keys.ts).
  const sendsOf = (chosen: readonly CallbackRun[]): ProviderSend[] => {
    const prefixes = chosen.map((run) => `${run.workflowId}/${run.runId}/`);
    return source.sends.filter((send) => prefixes.some((prefix) => send.attemptKey.startsWith(prefix)));
  };
  const sendsInPeriod = source.sends.filter(inWindow);
  const byPurpose: Record<string, OutreachCost> = {};
  for (const purpose of [...new Set(sendsInPeriod.map((send) => send.purpose))].sort()) {
    byPurpose[purpose] = outreachCost(
      sendsInPeriod.filter((send) => send.purpose === purpose),
      settings,
    );
  }
  const abandonCost = outreachCost(sendsOf(abandons), settings).cost;

  const rescueRuns = runs.filter((run) => run.origin === 'rescue');
  const rescued = rescueRuns.filter((run) => CONVERSATION_OUTCOMES.has(run.outcome));
  const rescueOutcomes: Record<string, number> = {};
  for (const run of rescueRuns) rescueOutcomes[run.outcome] = (rescueOutcomes[run.outcome] ?? 0) + 1;

  const surveys = new Map<string, { csat: number[]; nps: number[] }>();
  for (const score of source.scores.filter(inWindow)) {
    if (query.agent !== undefined && score.agentId !== query.agent) continue;
    const row = surveys.get(score.agentId) ?? { csat: [], nps: [] };
    row[score.type].push(score.score);
    surveys.set(score.agentId, row);
  }

  const messages: Record<string, { sent: number; delivered: number; failed: number }> = {};
  const messageRow = (purpose: string) => {
    const row = messages[purpose] ?? { sent: 0, delivered: 0, failed: 0 };
    messages[purpose] = row;
    return row;
  };
  for (const touch of source.touches.filter(inWindow)) messageRow(touch.purpose).sent += 1;
  for (const send of sendsInPeriod) {
    if (DELIVERED_STATUSES.has(send.status)) messageRow(send.purpose).delivered += 1;
    if (FAILED_STATUSES.has(send.status)) messageRow(send.purpose).failed += 1;
  }
  const detractorAnswers = source.scores
    .filter(inWindow)
    .filter((score) => query.agent === undefined || score.agentId === query.agent)
    .filter((score) => (score.type === 'nps' ? score.score <= 6 : score.score <= 2)).length;
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
      ...(query.tenant !== undefined ? { tenant: query.tenant } : {}),
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
      outreachCost: abandonCost,
      costPerRecoveredCaller: recovered === 0 ? null : abandonCost / recovered,
      netValue: recovered * settings.valuePerAnsweredCall - abandonCost,
    },
    outreach: {
      callbackSms: callbackTouches.filter((touch) => touch.channel === 'sms').length,
      callbackCalls: callbackTouches.filter((touch) => touch.channel === 'voice').length,
    },
    cost: {
      smsPricePerSegment: settings.smsPricePerSegment,
      callPricePerMinute: settings.callPricePerMinute,
      total: outreachCost(sendsInPeriod, settings),
      byPurpose,
    },
    punctuality: punctuality(abandons),
    reminders: reminderFigures(source.reminders.filter((run) => inWindow({ at: run.appointmentAtMs }))),
    rescues: {
      detractorAnswers,
      callbacks: rescueRuns.length,
      reached: rescued.length,
      byOutcome: rescueOutcomes,
      recontacted: rescued.filter(cameBack).length,
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
