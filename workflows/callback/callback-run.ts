import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DeskCallbackInput } from '../../store/desk-callbacks';
import type { CallbackRequest } from '../../domain/callbacks/callback-request';
import type { AttemptOutcome, Contact } from '../../domain/policy';
import type { AttemptSummary, CallbackOutcome, CallbackState, CallbackStatus } from '../callback-messages';
import type { dispositionSchema } from '../../domain/callbacks/callback-update-inputs';
import type { DeliveryStatus } from '../channel-signals';
import { callbackQueue, channelProxies, localDecisions, type LocalDecisions } from '../activity-proxies';
import { LocalActivityGate } from '../local-activity-gate';
import { attemptKeyPrefix } from '../attempt-keys';
import { askPatches, type CallbackPatches } from './callback-patches';
import { showRun, Timeline } from '../run-state';
import { searchAttributes } from '../search-attributes';

/** The timeline keeps the latest entries; a query must stay small. */
const TIMELINE_LIMIT = 200;

/** "LATER …" as the customer said it: a local time (in a zone they may name), a delay, or nothing more. */
export type LaterAt = { hour: number; minute: number; timeZone?: string } | { inMinutes: number } | 'default';

/**
 * Everything one callback run knows: the request (merged with later ones), where it stands, the
 * agent it is offered to or claimed by, its attempts, and what handlers have asked of the main loop.
 * Handlers and steps read and write these fields; the methods show them to people.
 */
export class CallbackRun {
  readonly workflowId: string;
  /** Keys of sends and calls, computed once: unique per run (workflows/attempt-keys.ts says why). */
  readonly keyPrefix: string;
  readonly patches: CallbackPatches;
  /** Orders this run's local activities (workflows/local-activity-gate.ts). */
  readonly gate: LocalActivityGate;
  /** The local activities, each through the gate. */
  readonly local: LocalDecisions;
  readonly queue = callbackQueue;
  readonly sms;
  readonly voice;

  readonly carried: CallbackRequest['carried'];
  readonly request: CallbackRequest;
  readonly requestIds: Set<string>;
  state: CallbackState = 'deciding';
  outcome: CallbackOutcome | undefined;
  detail = 'Deciding what this request gets.';
  priority: number;
  dueAtMs: number | undefined;
  /** Set once the decision gives the TTL; the query handler reads it before that. */
  expiresAtMs: number | undefined;
  skill: string;
  readonly timeline: Timeline<CallbackState>;
  readonly attempts: AttemptSummary[];
  /** The voice attempts of the current ladder round (a reopened callback starts a new round). */
  ladder: { at: string; outcome: AttemptOutcome }[];
  readonly channelsTried: ('voice' | 'sms' | 'email')[];
  offer: { agentId: string; expiresAt: number } | undefined;
  offerAnswer: 'accept' | 'reject' | undefined;
  claim: { agentId: string; name: string } | undefined;
  preferred: { agentId: string; onlyUntilMs: number } | undefined;
  readonly declined: Set<string>;
  /** Call requests this run made, for their keys. */
  dials = 0;
  /** Set, synchronously, the moment the run starts to finish: nothing can claim it after that. */
  closing = false;
  /** A supervisor moved the callback to another agent while it was offered: the offer is withdrawn. */
  withdrawOffer = false;
  /** A row for this callback is in the store's agent queue. */
  inQueue = false;
  /** The row must be written again (new priority, agent or declined list). */
  requeue = false;
  stop: { outcome: 'resolved-elsewhere' | 'cancelled'; detail: string } | undefined;
  dialStarted = false;
  changed = false;
  reopened = false;
  laterAt: LaterAt | undefined;
  /** Questions sent back about a time we could not place, for their keys. */
  timeQuestions = 0;
  disposition: ReturnType<typeof dispositionSchema.parse> | undefined;
  readonly callReports = new Map<string, DeliveryStatus[]>();
  /** This run's decision (a continued run does not decide again), for the KPI row. */
  decided: { action: string; reason: string } | undefined;
  readonly lateRequests: CallbackRequest[] = [];
  /** Writes to the desk's read model so far: orders writes within one instant of workflow time. */
  deskWrites = 0;
  /** The acknowledgement SMS, sent beside the wait rather than before it (it must not delay the call). */
  acknowledging: Promise<void> | undefined;
  /** Set when the run moves on (continues as new): an acknowledgement still waiting for the window is dropped. */
  acknowledgementAbandoned = false;
  /** The latest instant the sent acknowledgement promised the call by (for punctuality in the KPIs). */
  promisedBy: string | undefined;
  readonly contact: Contact;
  readonly locale: string;

  constructor(first: CallbackRequest) {
    const { workflowId, taskQueue } = workflowInfo();
    this.workflowId = workflowId;
    this.keyPrefix = attemptKeyPrefix();
    this.patches = askPatches();
    this.gate = new LocalActivityGate(this.patches.oneLocalAtATime);
    this.local = this.gate.gated(localDecisions);
    ({ sms: this.sms, voice: this.voice } = channelProxies(taskQueue));
    const carried = first.carried;
    this.carried = carried;
    this.request = { ...first };
    // The carried state lives in the fields below; the request itself travels without it.
    delete this.request.carried;
    this.requestIds = new Set([...(carried?.requestIds ?? []), first.requestId]);
    this.priority = first.priorityPoints;
    this.dueAtMs = carried?.dueAtMs;
    this.expiresAtMs = carried?.expiresAtMs;
    this.skill = carried?.skill ?? first.skill;
    this.timeline = new Timeline(
      (carried?.timeline ?? []).map((entry) => ({ ...entry, state: entry.state as CallbackState })),
      TIMELINE_LIMIT,
    );
    this.attempts = [...(carried?.attempts ?? [])];
    this.ladder = [...(carried?.ladder ?? [])];
    this.channelsTried = [...(carried?.channelsTried ?? [])];
    this.preferred = carried?.preferred;
    this.declined = new Set<string>(carried?.declinedAgentIds ?? []);
    const request = this.request;
    this.contact = {
      ...(request.phone !== undefined ? { phone: request.phone } : {}),
      ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
      ...(request.country !== undefined ? { country: request.country } : {}),
      ...(request.language !== undefined ? { locale: request.language } : {}),
      candidateTimeZones: [],
    };
    this.locale = request.language ?? 'en';
  }

  /** A step on the timeline; its text becomes the run's latest detail. */
  note(step: string, text: string, agentId?: string): void {
    this.timeline.add(step, {
      state: this.state,
      detail: text,
      ...(agentId !== undefined ? { agentId } : {}),
    });
    this.detail = text;
  }

  /** Moves to `next` and shows it: timeline, search attributes, memo and the desk. */
  enter(next: CallbackState, step: string, text: string, agentId?: string): void {
    this.state = next;
    this.note(step, text, agentId);
    const agent = this.claim ?? this.offer;
    showRun(
      [
        { key: searchAttributes.State, value: next },
        { key: searchAttributes.Priority, value: this.priority },
        { key: searchAttributes.Attempts, value: this.attempts.length },
        ...(this.dueAtMs !== undefined
          ? [{ key: searchAttributes.DueAt, value: new Date(this.dueAtMs) }]
          : []),
        ...(agent ? [{ key: searchAttributes.AgentId, value: agent.agentId }] : []),
      ],
      this.summary(),
    );
    void this.publishToDesk();
  }

  /** The memo's line: no number, no name. */
  summary(): string {
    const { request, claim, attempts } = this;
    return (
      `callback (${request.origin}, ${this.skill}): ${this.outcome ?? this.state}` +
      (claim ? ` — agent ${claim.agentId}` : '') +
      ` — priority ${this.priority}, ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}`
    );
  }

  /** Shows a new priority while nothing else changes. */
  showPriority(): void {
    upsertSearchAttributes([{ key: searchAttributes.Priority, value: this.priority }]);
  }

  /**
   * Tells the desk what this callback shows now. Not awaited mid-run (it must not delay a step; the
   * version orders writes that finish out of order); a write that fails after its retries is
   * dropped, the next change writes the whole row again.
   */
  publishToDesk(): Promise<void> {
    return this.patches.deskModel
      ? this.local.publishDeskCallback(this.deskCallback()).catch(() => undefined)
      : Promise.resolve();
  }

  private deskCallback(): DeskCallbackInput {
    const { request } = this;
    return {
      workflowId: this.workflowId,
      state: this.state,
      priority: this.priority,
      requestedAtMs: Date.parse(request.requestedAt),
      ...(this.dueAtMs !== undefined ? { dueAtMs: this.dueAtMs } : {}),
      ...(this.expiresAtMs !== undefined ? { expiresAtMs: this.expiresAtMs } : {}),
      origin: request.origin,
      queue: request.queue,
      skill: this.skill,
      ...(request.language !== undefined ? { language: request.language } : {}),
      ...(request.customerName !== undefined ? { customerName: request.customerName } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
      waitedSeconds: request.waitedSeconds,
      abandonCount: request.abandonCount,
      ...(request.tier !== undefined ? { tier: request.tier } : {}),
      ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
      ...(request.surveyScore !== undefined ? { surveyScore: request.surveyScore } : {}),
      attempts: this.attempts.map(({ attempt, at, outcome }) => ({ attempt, at, outcome })),
      ...(this.claim !== undefined ? { agentId: this.claim.agentId } : {}),
      version: Date.now() * 1_000 + (this.deskWrites++ % 1_000),
    };
  }

  /** What the status query answers. */
  status(): CallbackStatus {
    const { request, offer, claim, expiresAtMs, dueAtMs, outcome } = this;
    return {
      workflowId: this.workflowId,
      state: this.state,
      ...(outcome !== undefined ? { outcome } : {}),
      detail: this.detail,
      priority: this.priority,
      requestedAt: request.requestedAt,
      ...(dueAtMs !== undefined ? { dueAt: new Date(dueAtMs).toISOString() } : {}),
      ...(expiresAtMs !== undefined ? { expiresAt: new Date(expiresAtMs).toISOString() } : {}),
      ...(offer !== undefined
        ? { offer: { agentId: offer.agentId, expiresAt: new Date(offer.expiresAt).toISOString() } }
        : {}),
      ...(claim !== undefined ? { agent: claim } : {}),
      attempts: [...this.attempts],
      context: {
        origin: request.origin,
        queue: request.queue,
        skill: this.skill,
        waitedSeconds: request.waitedSeconds,
        abandonCount: request.abandonCount,
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
        ...(request.tier !== undefined ? { tier: request.tier } : {}),
        ...(request.language !== undefined ? { language: request.language } : {}),
        ...(request.customerName !== undefined ? { customerName: request.customerName } : {}),
        ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
        ...(request.surveyScore !== undefined ? { surveyScore: request.surveyScore } : {}),
      },
      timeline: [...this.timeline.entries],
    };
  }

  /** Folds another request for the same customer into this callback. */
  mergeRequest(next: CallbackRequest): void {
    const { request } = this;
    request.abandonCount += next.abandonCount;
    request.waitedSeconds += next.waitedSeconds;
    request.priorityPoints = Math.max(request.priorityPoints, next.priorityPoints);
    // The customer keeps the place of their first abandon.
    if (Date.parse(next.requestedAt) < Date.parse(request.requestedAt))
      request.requestedAt = next.requestedAt;
    if (next.reason !== undefined && next.reason !== request.reason) {
      request.reason = request.reason === undefined ? next.reason : `${request.reason}; ${next.reason}`;
    }
    request.customerName ??= next.customerName;
    request.surveyScore ??= next.surveyScore;
    if (next.origin === 'rescue' && request.origin !== 'rescue') {
      // A low survey score while a callback is pending: the rescue desk takes it, at rescue priority.
      request.origin = 'rescue';
      request.surveyScore = next.surveyScore;
      this.skill = next.skill;
      upsertSearchAttributes([{ key: searchAttributes.Skill, value: this.skill }]);
    }
    if (next.notBefore !== undefined) request.notBefore = next.notBefore;
    if (this.state === 'fallback-sent') this.reopened = true;
    this.changed = true;
    void this.publishToDesk();
    this.note(
      'merged',
      `Another ${next.origin} request merged (${request.abandonCount} so far); the original time is kept.`,
    );
  }
}
