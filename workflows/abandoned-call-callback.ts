import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeskCallbackInput } from '../store/desk-callbacks';
import type { CallbackDecision } from '../activities/callbacks/callback-decisions';
import { isEligible } from '../domain/callbacks/assign-offers';
import { callResult, type CallResult } from '../domain/callbacks/call-result';
import { parseCallbackReply } from '../domain/callbacks/callback-reply';
import {
  callbackRequestSchema,
  type CallbackRequest,
  type CallbackRequestInput,
} from '../domain/callbacks/callback-request';
import { ChannelFailure, nonRetryableChannelFailures } from '../domain/channel-failures';
import type { AttemptOutcome, Contact } from '../domain/policy';
import {
  answerOfferUpdate,
  callbackOfferedSignal,
  callbackRequestedSignal,
  callbackStatusQuery,
  cancelCallbackUpdate,
  claimCallbackUpdate,
  claimingAgentSchema,
  customerReachedUsUpdate,
  dispositionSchema,
  offerAnswerSchema,
  raisePrioritySchema,
  raisePriorityUpdate,
  reassignCallbackUpdate,
  reassignSchema,
  recordDispositionUpdate,
  rescheduleCallbackUpdate,
  rescheduleSchema,
  stopCallbackSchema,
  type AttemptSummary,
  type CallbackOutcome,
  type CallbackState,
  type CallbackStatus,
  type StopCallbackInput,
  type StopResult,
  type TimelineEntry,
} from './callback-messages';
import { deliveryStatusSignal, inboundReplySignal, type DeliveryStatus } from './channel-signals';
import { searchAttributes } from './search-attributes';
import { channelProxies } from './channel-proxies';
import { attemptKeyPrefix } from './attempt-keys';
import { isHeld } from './held-send';
import { parseWorkflowInput } from './workflow-input';

export interface CallbackResult {
  outcome: CallbackOutcome;
  detail: string;
  attempts: AttemptSummary[];
  agentId?: string;
}

/**
 * Runs started before the one dispatcher ask it again this often while they wait; newer runs wait
 * this long after agents declined them before asking those agents again.
 */
const DISPATCH_CHECK_MS = 120_000;
/** How long a call may ring (agent, then customer) without a person answering or a final report. */
const CALL_REPORT_TIMEOUT_MS = 15 * 60_000;
/** A live conversation has no time limit; this often the run asks the provider whether it still goes on. */
const CONVERSATION_CHECK_MS = 60 * 60_000;
/** A provider that cannot place the call (an outage, a misconfiguration): the callback waits this long and tries again. */
const PROVIDER_PARK_MS = 10 * 60_000;
/**
 * A waiting run continues as new past this many history events, carrying its state: Temporal's
 * limit is 51,200 events, and a callback may wait for weeks. One cycle of waiting adds well under
 * 100 events, so no run's history passes CALLBACK_HISTORY_BOUND.
 */
const CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;
export const CALLBACK_HISTORY_BOUND = 2_500;
/** How long an agent has after a connected call to record a disposition. */
const DISPOSITION_TIMEOUT_MS = 2 * 3_600_000;
/** "LATER" without a time: call again after this long. */
const LATER_DEFAULT_MS = 2 * 3_600_000;
/** A supervisor's reassignment reserves the callback for that agent this long. */
const REASSIGN_RESERVE_MS = 10 * 60_000;
/** The timeline keeps the latest entries; a query must stay small. */
const TIMELINE_LIMIT = 200;

/** Activities are asked about the workflow's "now", not their own clock: replay- and time-skipping-safe. */
const workflowNow = (): string => new Date().toISOString();

/**
 * One pending callback per customer number: decides whether the abandon deserves one, acknowledges
 * it, waits for a time the contact policy allows, offers it to exactly one available agent with the
 * skill (the customer's previous agent first), dials agent-first, retries per the ladder, falls
 * back to SMS and records the outcome. Every step is on the timeline query and the search
 * attributes, so supervisors see why it did what it did.
 *
 * The promise about cancelling: once `customerReachedUs` or `cancelCallback` has answered with
 * `dialStarted: false`, this run never requests a call. The flag is read and the call requested in
 * one synchronous step of the workflow, and handlers run between steps, never inside one.
 */
export async function abandonedCallCallback(rawRequest: CallbackRequestInput): Promise<CallbackResult> {
  const first = parseWorkflowInput(callbackRequestSchema, rawRequest, 'abandonedCallCallback');
  const { workflowId, taskQueue } = workflowInfo();
  // Keys of sends and calls, computed once: unique per run (workflows/attempt-keys.ts says why).
  const keyPrefix = attemptKeyPrefix();
  // Behaviour for a contact centre's real life (long calls, outages, failing agent phones, late
  // abandons, long waits): running histories recorded before it replay the old way.
  const life = patched('callback-life');
  // Waiting runs do not poll the dispatcher: the task queue's one dispatcher offers them.
  const oneDispatcher = life && patched('one-dispatcher');
  // Replies to the customer's own call (acknowledgement, apology) are the contact policy's decision
  // (rule replyToCustomerContact), not a bypass of it.
  const replyPolicy = life && patched('reply-to-customer-contact');
  // A time the customer gives is read in their zone, never the centre's; unclear → asked back.
  const customerZoneTimes = patched('reply-in-customer-zone');
  const beforeOneNormaliser = !patched('one-reply-normaliser');
  // A finished callback waits for no SMS answer: its reply waits are released.
  const releasesReplies = patched('release-reply-waits');
  // The run writes what the desk shows (store table desk_callbacks) at each change of state: the desk
  // reads the store, not each run. Runs started before it are read by the desk's legacy backfill.
  const deskModel = patched('desk-read-model');
  const carried = first.carried;
  const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10s' });
  const queue = proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });
  const { sms, voice } = channelProxies(taskQueue);
  // A few tries only: a report row is not worth holding a finished callback open.
  const kpi = proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
  });

  // ---- state -------------------------------------------------------------------------------
  const request: CallbackRequest = { ...first };
  // The carried state lives in the variables below; the request itself travels without it.
  delete request.carried;
  const requestIds = new Set([...(carried?.requestIds ?? []), first.requestId]);
  let state: CallbackState = 'deciding';
  let outcome: CallbackOutcome | undefined;
  let detail = 'Deciding what this request gets.';
  let priority = first.priorityPoints;
  let dueAtMs: number | undefined = carried?.dueAtMs;
  // Set once the decision gives the TTL; the query handler reads it before that.
  let expiresAtMs: number | undefined = carried?.expiresAtMs;
  let skill = carried?.skill ?? first.skill;
  const timeline: TimelineEntry[] = (carried?.timeline ?? []).map((entry) => ({
    ...entry,
    state: entry.state as CallbackState,
  }));
  const attempts: AttemptSummary[] = [...(carried?.attempts ?? [])];
  /** The voice attempts of the current ladder round (a reopened callback starts a new round). */
  let ladder: { at: string; outcome: AttemptOutcome }[] = [...(carried?.ladder ?? [])];
  const channelsTried: ('voice' | 'sms' | 'email')[] = [...(carried?.channelsTried ?? [])];
  let offer: { agentId: string; expiresAt: number } | undefined;
  let offerAnswer: 'accept' | 'reject' | undefined;
  let claim: { agentId: string; name: string } | undefined;
  let preferred: { agentId: string; onlyUntilMs: number } | undefined = carried?.preferred;
  const declined = new Set<string>(carried?.declinedAgentIds ?? []);
  /** Call requests this run made, for their keys. */
  let dials = 0;
  /** Set, synchronously, the moment the run starts to finish: nothing can claim it after that. */
  let closing = false;
  /** A supervisor moved the callback to another agent while it was offered: the offer is withdrawn. */
  let withdrawOffer = false;
  /** A row for this callback is in the store's agent queue. */
  let inQueue = false;
  /** The row must be written again (new priority, agent or declined list). */
  let requeue = false;
  let stop: { outcome: 'resolved-elsewhere' | 'cancelled'; detail: string } | undefined;
  let dialStarted = false;
  let changed = false;
  let reopened = false;
  let laterAt:
    { hour: number; minute: number; timeZone?: string } | { inMinutes: number } | 'default' | undefined;
  /** Questions sent back about a time we could not place, for their keys. */
  let timeQuestions = 0;
  let disposition: ReturnType<typeof dispositionSchema.parse> | undefined;
  const callReports = new Map<string, DeliveryStatus[]>();
  /** This run's decision (a continued run does not decide again), for the KPI row. */
  let decided: { action: string; reason: string } | undefined;
  const lateRequests: CallbackRequest[] = [];

  const note = (step: string, text: string, agentId?: string): void => {
    timeline.push({
      at: new Date().toISOString(),
      state,
      step,
      detail: text,
      ...(agentId !== undefined ? { agentId } : {}),
    });
    if (timeline.length > TIMELINE_LIMIT) timeline.splice(0, timeline.length - TIMELINE_LIMIT);
    detail = text;
  };
  /** Writes to the desk's read model so far: orders writes within one instant of workflow time. */
  let deskWrites = 0;
  const deskCallback = (): DeskCallbackInput => ({
    workflowId,
    state,
    priority,
    requestedAtMs: Date.parse(request.requestedAt),
    ...(dueAtMs !== undefined ? { dueAtMs } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
    origin: request.origin,
    queue: request.queue,
    skill,
    ...(request.language !== undefined ? { language: request.language } : {}),
    ...(request.customerName !== undefined ? { customerName: request.customerName } : {}),
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    waitedSeconds: request.waitedSeconds,
    abandonCount: request.abandonCount,
    ...(request.tier !== undefined ? { tier: request.tier } : {}),
    ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
    ...(request.surveyScore !== undefined ? { surveyScore: request.surveyScore } : {}),
    attempts: attempts.map(({ attempt, at, outcome }) => ({ attempt, at, outcome })),
    ...(claim !== undefined ? { agentId: claim.agentId } : {}),
    version: Date.now() * 1_000 + (deskWrites++ % 1_000),
  });
  /**
   * Tells the desk what this callback shows now. Not awaited mid-run (it must not delay a step; the
   * version orders writes that finish out of order); a write that fails after its retries is
   * dropped, the next change writes the whole row again.
   */
  const publishToDesk = (): Promise<void> =>
    deskModel ? local.publishDeskCallback(deskCallback()).catch(() => undefined) : Promise.resolve();
  const summary = (): string =>
    `callback (${request.origin}, ${skill}): ${outcome ?? state}` +
    (claim ? ` — agent ${claim.agentId}` : '') +
    ` — priority ${priority}, ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}`;
  const enter = (next: CallbackState, step: string, text: string, agentId?: string): void => {
    state = next;
    note(step, text, agentId);
    upsertSearchAttributes([
      { key: searchAttributes.State, value: next },
      { key: searchAttributes.Priority, value: priority },
      { key: searchAttributes.Attempts, value: attempts.length },
      ...(dueAtMs !== undefined ? [{ key: searchAttributes.DueAt, value: new Date(dueAtMs) }] : []),
      ...((claim ?? offer)
        ? [{ key: searchAttributes.AgentId, value: (claim ?? offer)?.agentId ?? '' }]
        : []),
    ]);
    // The memo is not encrypted: a summary without number or name.
    upsertMemo({ summary: summary() });
    void publishToDesk();
  };
  const status = (): CallbackStatus => ({
    workflowId,
    state,
    ...(outcome !== undefined ? { outcome } : {}),
    detail,
    priority,
    requestedAt: request.requestedAt,
    ...(dueAtMs !== undefined ? { dueAt: new Date(dueAtMs).toISOString() } : {}),
    ...(expiresAtMs !== undefined ? { expiresAt: new Date(expiresAtMs).toISOString() } : {}),
    ...(offer !== undefined
      ? { offer: { agentId: offer.agentId, expiresAt: new Date(offer.expiresAt).toISOString() } }
      : {}),
    ...(claim !== undefined ? { agent: claim } : {}),
    attempts: [...attempts],
    context: {
      origin: request.origin,
      queue: request.queue,
      skill,
      waitedSeconds: request.waitedSeconds,
      abandonCount: request.abandonCount,
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
      ...(request.tier !== undefined ? { tier: request.tier } : {}),
      ...(request.language !== undefined ? { language: request.language } : {}),
      ...(request.customerName !== undefined ? { customerName: request.customerName } : {}),
      ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
      ...(request.surveyScore !== undefined ? { surveyScore: request.surveyScore } : {}),
    },
    timeline: [...timeline],
  });

  // ---- handlers ----------------------------------------------------------------------------
  setHandler(callbackStatusQuery, status);

  /** Folds another request for the same customer into this callback. */
  const mergeRequest = (next: CallbackRequest): void => {
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
      skill = next.skill;
      upsertSearchAttributes([{ key: searchAttributes.Skill, value: skill }]);
    }
    if (next.notBefore !== undefined) request.notBefore = next.notBefore;
    if (state === 'fallback-sent') reopened = true;
    changed = true;
    void publishToDesk();
    note(
      'merged',
      `Another ${next.origin} request merged (${request.abandonCount} so far); the original time is kept.`,
    );
  };

  setHandler(callbackRequestedSignal, (next) => {
    // Signal-with-start delivers the first request twice (argument and signal): count it once.
    if (requestIds.has(next.requestId)) return;
    requestIds.add(next.requestId);
    // Arrived while this run was finishing — or while the customer was being called, when a merge
    // would be lost with a call that connects: it is served after this callback (merged if the
    // ladder goes on, a callback of its own if this one ends).
    const busy = state === 'dialling' || state === 'on-call' || closing;
    if (state === 'done' || (busy && life)) {
      lateRequests.push(next);
      if (state !== 'done')
        note(
          'merged-later',
          `Another ${next.origin} request arrived during the call; it is kept for after it.`,
        );
      return;
    }
    mergeRequest(next);
  });

  setHandler(callbackOfferedSignal, async (made) => {
    if (state !== 'waiting-for-agent' || claim !== undefined || (life && (offer !== undefined || closing))) {
      // Not waiting any more (claimed, moved to a later time, closing): the agent must not stay
      // held for an offer this run will never time out.
      if (life && offer?.agentId !== made.agentId) {
        await queue.releaseOffer({ workflowId, agentId: made.agentId });
      }
      return;
    }
    offer = { agentId: made.agentId, expiresAt: Date.now() + made.offerMs };
    offerAnswer = undefined;
  });

  setHandler(deliveryStatusSignal, (report) => {
    const reports = callReports.get(report.attemptKey) ?? [];
    if (reports.some((seen) => seen.status === report.status)) return;
    reports.push(report);
    callReports.set(report.attemptKey, reports);
  });

  setHandler(inboundReplySignal, (reply) => {
    const parsed = parseCallbackReply(reply.body, { zonesAndDelays: customerZoneTimes, beforeOneNormaliser });
    if (parsed.kind === 'unknown') {
      note('reply', 'The customer replied something we do not understand; it is kept for the agent.');
      return;
    }
    if (state === 'dialling' || state === 'on-call' || state === 'done') return;
    if (parsed.kind === 'cancel') {
      stop = { outcome: 'cancelled', detail: 'The customer replied that they no longer need a call.' };
    } else if (parsed.kind === 'call-me') {
      reopened = true;
      request.notBefore = undefined;
      note('reply', 'The customer asked to be called.');
    } else {
      laterAt =
        parsed.inMinutes !== undefined
          ? { inMinutes: parsed.inMinutes }
          : parsed.localTime !== undefined
            ? { ...parsed.localTime, ...(parsed.timeZone !== undefined ? { timeZone: parsed.timeZone } : {}) }
            : 'default';
      note('reply', 'The customer asked to be called later.');
    }
    changed = true;
  });

  const stopHandler =
    (kind: 'resolved-elsewhere' | 'cancelled') =>
    (input: StopCallbackInput): StopResult => {
      const parsed = stopCallbackSchema.parse(input);
      // Once the customer is talking with the agent there is nothing left to stop.
      if (state === 'done' || state === 'on-call' || stop !== undefined) {
        return { stopped: false, dialStarted, ...(outcome !== undefined ? { outcome } : {}) };
      }
      stop = {
        outcome: kind,
        detail:
          kind === 'resolved-elsewhere'
            ? `The customer reached us${parsed.channel ? ` by ${parsed.channel}` : ''} (reported by ${parsed.by}).`
            : `Cancelled by ${parsed.by}${parsed.reason ? `: ${parsed.reason}` : ''}.`,
      };
      return { stopped: true, dialStarted };
    };
  const validateStop = (input: StopCallbackInput): void => void stopCallbackSchema.parse(input);
  setHandler(customerReachedUsUpdate, stopHandler('resolved-elsewhere'), { validator: validateStop });
  setHandler(cancelCallbackUpdate, stopHandler('cancelled'), { validator: validateStop });

  // Validators are synchronous (the SDK does not enforce an async one) and read only workflow state.
  const refuseClaim = (agentId: string): void => {
    if (stop !== undefined || state === 'done' || closing) {
      throw new Error(
        `this callback is ${outcome ?? stop?.outcome ?? 'closing'}: it can no longer be claimed`,
      );
    }
    if (claim !== undefined) {
      throw new Error(
        claim.agentId === agentId
          ? 'you already claimed this callback'
          : 'another agent already claimed this callback',
      );
    }
    if (state !== 'waiting-for-agent' && state !== 'offered') {
      throw new Error(`this callback is ${state}, not waiting for an agent`);
    }
  };
  setHandler(
    claimCallbackUpdate,
    (agent) => {
      claim = { agentId: agent.agentId, name: agent.name };
      note('claimed', `Claimed by agent ${agent.agentId}.`, agent.agentId);
      return status();
    },
    {
      validator: (input) => {
        const agent = claimingAgentSchema.parse(input);
        refuseClaim(agent.agentId);
        if (offer !== undefined && offer.agentId !== agent.agentId && offer.expiresAt > Date.now()) {
          throw new Error('this callback is offered to another agent right now');
        }
        if (agent.presence === 'away' || agent.presence === 'offline') {
          throw new Error(`an agent who is ${agent.presence} cannot claim a callback`);
        }
        if (
          !isEligible(
            { ...agent, id: agent.agentId },
            { skill, language: request.language, declinedAgentIds: [] },
          )
        ) {
          throw new Error(
            `agent ${agent.agentId} lacks the skill ${skill}` +
              (request.language !== undefined ? ` or the language ${request.language}` : ''),
          );
        }
      },
    },
  );
  setHandler(
    answerOfferUpdate,
    (answer) => {
      offerAnswer = answer.answer;
      if (answer.answer === 'accept') {
        claim = { agentId: answer.agentId, name: answer.agentId };
        note('claimed', `Agent ${answer.agentId} accepted the offer.`, answer.agentId);
      }
      return status();
    },
    {
      validator: (input) => {
        const answer = offerAnswerSchema.parse(input);
        refuseClaim(answer.agentId);
        if (offer?.agentId !== answer.agentId || offerAnswer !== undefined) {
          throw new Error('this callback is not offered to you');
        }
      },
    },
  );

  const refuseWhenClosed = (): void => {
    if (state === 'done' || stop !== undefined || closing)
      throw new Error(`this callback is ${outcome ?? 'closing'}`);
  };
  setHandler(
    rescheduleCallbackUpdate,
    (input) => {
      const { notBefore, by } = rescheduleSchema.parse(input);
      request.notBefore = notBefore;
      changed = true;
      // A new time while the callback is offered: the offer ends and the callback waits for its time.
      if (life && offer !== undefined) withdrawOffer = true;
      note('rescheduled', `Rescheduled by ${by} to not before ${notBefore}.`);
      return status();
    },
    {
      validator: (input) => {
        const { notBefore } = rescheduleSchema.parse(input);
        refuseWhenClosed();
        if (state === 'dialling' || state === 'on-call')
          throw new Error(`the customer is being called (${state})`);
        if (expiresAtMs !== undefined && Date.parse(notBefore) > expiresAtMs) {
          throw new Error(`notBefore is after the callback expires (${new Date(expiresAtMs).toISOString()})`);
        }
      },
    },
  );
  setHandler(
    reassignCallbackUpdate,
    (input) => {
      const { agentId, by } = reassignSchema.parse(input);
      preferred = { agentId, onlyUntilMs: Date.now() + REASSIGN_RESERVE_MS };
      declined.delete(agentId);
      changed = true;
      if (life) {
        // The queue entry must name the new agent even if the change lands during an offer.
        requeue = true;
        if (offer !== undefined && offer.agentId !== agentId) withdrawOffer = true;
      }
      note('reassigned', `Reassigned to agent ${agentId} by ${by}.`);
      return status();
    },
    {
      validator: (input) => {
        reassignSchema.parse(input);
        refuseWhenClosed();
        if (claim !== undefined) throw new Error(`agent ${claim.agentId} already has this callback`);
      },
    },
  );
  setHandler(
    raisePriorityUpdate,
    (input) => {
      const { points, by } = raisePrioritySchema.parse(input);
      request.priorityPoints += points;
      priority += points;
      changed = true;
      if (life) requeue = true;
      note('priority-raised', `Priority raised by ${points} by ${by}.`);
      upsertSearchAttributes([{ key: searchAttributes.Priority, value: priority }]);
      void publishToDesk();
      return status();
    },
    {
      validator: (input) => {
        raisePrioritySchema.parse(input);
        refuseWhenClosed();
      },
    },
  );
  setHandler(
    recordDispositionUpdate,
    (input) => {
      disposition = dispositionSchema.parse(input);
      note('disposition', `Agent ${disposition.agentId} recorded ${disposition.disposition}.`);
      return status();
    },
    {
      validator: (input) => {
        const parsed = dispositionSchema.parse(input);
        if (claim?.agentId !== parsed.agentId)
          throw new Error('only the agent on this callback may record its disposition');
        if (state !== 'on-call' || disposition !== undefined) {
          throw new Error(`no call is waiting for a disposition (this callback is ${state})`);
        }
      },
    },
  );

  // ---- steps -------------------------------------------------------------------------------
  const contact: Contact = {
    ...(request.phone !== undefined ? { phone: request.phone } : {}),
    ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
    ...(request.country !== undefined ? { country: request.country } : {}),
    ...(request.language !== undefined ? { locale: request.language } : {}),
    candidateTimeZones: [],
  };
  const locale = request.language ?? 'en';
  /** May the customer be called now (calling window in their zone, centre hours, caps, opt-outs)? */
  const askWindow = () =>
    local.decideContact({
      now: workflowNow(),
      contact,
      channel: 'voice',
      purpose: 'callback',
      outreachId: workflowId,
    });

  /**
   * May an SMS replying to the customer's own call go now? An abandon names when the customer called,
   * so the policy may let a prompt reply go at any hour; a late one waits for the window.
   */
  /** The customer's own call, when this callback answers one (an abandon). */
  const callerContactAt = (): string | undefined =>
    request.origin === 'abandon' ? request.requestedAt : undefined;
  const askReply = () =>
    local.decideContact({
      now: workflowNow(),
      contact,
      channel: 'sms',
      purpose: 'callback',
      category: 'service',
      outreachId: workflowId,
      ...(callerContactAt() !== undefined ? { customerContactAt: callerContactAt() } : {}),
    });

  const leaveQueue = async (): Promise<void> => {
    if (!inQueue && claim === undefined && offer === undefined) return;
    inQueue = false;
    requeue = false;
    offer = undefined;
    await queue.leaveAgentQueue({ workflowId });
  };

  /** The acknowledgement SMS, sent beside the wait rather than before it (it must not delay the call). */
  let acknowledging: Promise<void> | undefined;
  /** Set when the run moves on (continues as new): an acknowledgement still waiting for the window is dropped. */
  let acknowledgementAbandoned = false;
  /** The latest instant the sent acknowledgement promised the call by (for punctuality in the KPIs). */
  let promisedBy: string | undefined;

  /** The finished run's row for the KPIs; a store that cannot take it must not keep the callback open. */
  const recordRun = async (result: CallbackOutcome): Promise<void> => {
    try {
      await kpi.recordCallbackRun({
        workflowId,
        runId: workflowInfo().runId,
        customerKey: request.customerKey,
        closedAtMs: Date.now(),
        outcome: result,
        requestedAt: request.requestedAt,
        ...(claim !== undefined ? { agentId: claim.agentId } : {}),
        ...(request.tenant !== undefined ? { tenant: request.tenant } : {}),
        ...(promisedBy !== undefined ? { promisedBy } : {}),
        ...(decided !== undefined ? { decision: decided } : {}),
        context: { origin: request.origin, queue: request.queue, skill, abandonCount: request.abandonCount },
        attempts,
        timeline,
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      note('kpi-not-recorded', 'The finished callback could not be recorded for the reports.');
    }
  };

  const finish = async (result: CallbackOutcome, text: string): Promise<CallbackResult> => {
    if (life) closing = true;
    await acknowledging;
    await leaveQueue();
    if (releasesReplies) await queue.releaseReplyWaits({ workflowId });
    // An offer's release may still be running in its signal handler.
    if (life) await condition(allHandlersFinished);
    outcome = result;
    state = 'done';
    note(result, text);
    upsertSearchAttributes([
      { key: searchAttributes.State, value: 'done' },
      { key: searchAttributes.Outcome, value: result },
      { key: searchAttributes.Attempts, value: attempts.length },
    ]);
    upsertMemo({ summary: summary() });
    // Asked before the desk write below: a patch marker must follow the same commands on replay, and
    // the desk's local activity may complete before or after it (released runs recorded it here).
    const recordsRun = patched('record-callback-run');
    // Awaited: an activity still pending when the run closes never runs.
    await publishToDesk();
    if (recordsRun) await recordRun(result);
    const next = lateRequests[0];
    if (next !== undefined) {
      // A new abandon arrived while this callback was closing: it gets a callback of its own.
      await continueAsNew<typeof abandonedCallCallback>({
        ...next,
        abandonCount: lateRequests.reduce((sum, late) => sum + late.abandonCount, 0),
      });
    }
    return {
      outcome: result,
      detail: text,
      attempts: [...attempts],
      ...(claim ? { agentId: claim.agentId } : {}),
    };
  };

  /**
   * Sends one SMS of this callback; false when it could not go. `customerContactAt`: it answers the
   * customer's own contact at that instant (their call, their SMS), which the policy's reply rule may
   * let go at any hour.
   */
  const sendText = async (
    template: string,
    variables: Record<string, string>,
    attemptKey: string,
    customerContactAt?: string,
  ): Promise<boolean> => {
    if (request.phone === undefined) return false;
    try {
      const sent = await sms.sendSms({
        attemptKey,
        workflowId,
        to: request.phone,
        customerKey: request.customerKey,
        purpose: 'callback',
        category: 'service',
        content: { template, locale, variables },
        ...(expiresAtMs !== undefined
          ? { expectReplyForMinutes: Math.max(1, Math.ceil((expiresAtMs - Date.now()) / 60_000)) }
          : {}),
        // Asked again right before the provider call: the SMS may have waited for its pacing slot.
        check: {
          contact,
          ...(customerContactAt !== undefined ? { customerContactAt } : {}),
          ...(expiresAtMs !== undefined ? { notAfter: new Date(expiresAtMs).toISOString() } : {}),
        },
      });
      if (isHeld(sent)) {
        note('sms-held', `The SMS was not sent (${sent.verdict}): ${sent.message}`);
        return false;
      }
      return true;
    } catch (error) {
      // An SMS that cannot go (bad number for SMS, STOP on SMS) does not stop the callback itself.
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
        if ((nonRetryableChannelFailures as readonly string[]).includes(error.cause.type ?? '')) {
          note('sms-refused', `The SMS could not be sent: ${error.cause.type}.`);
          return false;
        }
      }
      // Nor does a provider that stayed down through every retry: the call is what was promised.
      if (life && error instanceof ActivityFailure) {
        note('sms-failed', 'The SMS could not be sent: the provider did not accept it through every retry.');
        return false;
      }
      throw error;
    }
  };

  /**
   * "LATER …": the callback waits until the time the customer meant, read in their zone (named in
   * the reply, known, or the number's candidates). When the candidates disagree on the instant, we
   * ask back and leave the callback as it was.
   */
  const placeLater = async (wanted: NonNullable<typeof laterAt>): Promise<void> => {
    if (wanted === 'default' || 'inMinutes' in wanted) {
      const ms = wanted === 'default' ? LATER_DEFAULT_MS : wanted.inMinutes * 60_000;
      request.notBefore = new Date(Date.now() + ms).toISOString();
    } else {
      const zones =
        wanted.timeZone !== undefined
          ? [wanted.timeZone]
          : request.timeZone !== undefined
            ? [request.timeZone]
            : contact.candidateTimeZones;
      const placed = await local.placeCustomerTime({
        now: workflowNow(),
        zones,
        hour: wanted.hour,
        minute: wanted.minute,
      });
      if (placed.kind === 'unclear') {
        const time = `${String(wanted.hour).padStart(2, '0')}:${String(wanted.minute).padStart(2, '0')}`;
        timeQuestions += 1;
        const asked = await sendText(
          'sms.callback.time-unclear',
          { time },
          `${keyPrefix}/sms/time-question/${timeQuestions}`,
          // It answers the SMS the customer has just sent.
          workflowNow(),
        );
        note(
          'time-unclear',
          `The customer asked for ${time}, but their number's zones disagree on when that is` +
            (asked ? '; they were asked which zone they mean.' : '; the question could not be sent.') +
            ' The callback stays as it was.',
        );
        return;
      }
      request.notBefore = new Date(placed.atMs).toISOString();
    }
    note('rescheduled', `The customer asked for a call not before ${request.notBefore}.`);
  };

  /**
   * The provider's answer about a call, or undefined while it cannot be reached (an outage that
   * outlasted the activity's retries): the run asks again later rather than fail over it.
   */
  const askProvider = async <T>(ask: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await ask();
    } catch (error) {
      if (!life || !(error instanceof ActivityFailure)) throw error;
      note('provider-unavailable', `The voice provider could not be asked about the call: ${error.message}.`);
      return undefined;
    }
  };
  /**
   * Ends a call (see `endCall`), asking again every parking period while the provider is down,
   * until it answers or the call's final report arrives (then undefined).
   */
  const endCallWhenReachable = async (
    callSid: string,
    reported: () => boolean,
  ): Promise<string | undefined> => {
    for (;;) {
      const endedAs = await askProvider(() => voice.endCall(callSid));
      if (endedAs !== undefined) return endedAs;
      if (await condition(reported, PROVIDER_PARK_MS)) return undefined;
    }
  };

  const sleepUnlessChanged = async (ms: number): Promise<void> => {
    if (ms > 0) await condition(() => stop !== undefined || changed, ms);
  };

  // 1. Decide.
  upsertSearchAttributes([
    { key: searchAttributes.Kind, value: 'callback' },
    { key: searchAttributes.Customer, value: request.customerKey },
    { key: searchAttributes.Queue, value: request.queue },
    { key: searchAttributes.Skill, value: skill },
    { key: searchAttributes.State, value: carried !== undefined ? 'waiting-for-agent' : 'deciding' },
    { key: searchAttributes.RequestedAt, value: new Date(request.requestedAt) },
    ...(request.tenant !== undefined ? [{ key: searchAttributes.Tenant, value: request.tenant }] : []),
  ]);

  const rescore = async (): Promise<void> => {
    const scored = await local.scorePriority({
      now: workflowNow(),
      kind: request.origin === 'rescue' ? 'rescue' : 'callback',
      ...(request.tier !== undefined ? { tier: request.tier } : {}),
      originalAbandonAt: request.requestedAt,
      abandonCount: request.abandonCount,
    });
    priority = scored.score + request.priorityPoints;
  };

  /** Continues as new while waiting, carrying what the next run needs: no history grows without bound. */
  const continueWaiting = async (): Promise<never> => {
    acknowledgementAbandoned = true;
    await acknowledging;
    await leaveQueue();
    await condition(allHandlersFinished);
    note('continued', 'This callback continues in a new run (its history is kept short).');
    const next: CallbackRequest = {
      ...request,
      carried: {
        runs: (carried?.runs ?? 0) + 1,
        skill,
        expiresAtMs: expiresAtMs ?? Date.now(),
        ...(dueAtMs !== undefined ? { dueAtMs } : {}),
        attempts,
        ladder,
        channelsTried,
        declinedAgentIds: [...declined],
        ...(preferred !== undefined ? { preferred } : {}),
        requestIds: [...requestIds].slice(-200),
        timeline: timeline.slice(-50),
      },
    };
    return continueAsNew<typeof abandonedCallCallback>(next);
  };

  /** 1–2. Decide what the request gets and acknowledge it; then serve it. */
  const begin = async (): Promise<CallbackResult> => {
    if (carried !== undefined) {
      if (contact.phone !== undefined && contact.timeZone === undefined) {
        contact.candidateTimeZones = await local.zonesForNumber(contact.phone);
      }
      upsertSearchAttributes([{ key: searchAttributes.Skill, value: skill }]);
      await rescore();
      return serve();
    }
    if (life) {
      // Runs of one workflow id never overlap: whatever a previous run of this customer's callback
      // left in the agent queue (a run terminated from the UI runs no code) is stale.
      await queue.leaveAgentQueue({ workflowId });
    }
    const decision: CallbackDecision = await local.decideCallback(request, workflowNow());
    decided = { action: decision.action, reason: decision.reason };
    note('decided', `${decision.action} (${decision.reason}): ${decision.message}`);
    if (decision.action === 'ignore') return finish('ignored', `${decision.reason}: ${decision.message}`);
    skill = decision.skill;
    // A number without a known zone may be in several: the policy then allows only times inside the
    // window in every one of them.
    if (contact.phone !== undefined && contact.timeZone === undefined) {
      contact.candidateTimeZones = await local.zonesForNumber(contact.phone);
    }
    expiresAtMs = Date.parse(request.requestedAt) + decision.ttlHours * 3_600_000;
    upsertSearchAttributes([{ key: searchAttributes.Skill, value: skill }]);

    if (decision.action === 'sms-only') {
      // The apology is all this abandon gets: it waits for a time the policy allows, within the TTL.
      while (replyPolicy) {
        const allowed = await askReply();
        if (allowed.verdict === 'allowed') break;
        if (allowed.verdict === 'never') {
          return finish(
            'not-allowed',
            `The apology SMS may not be sent (${allowed.reason}): ${allowed.message}`,
          );
        }
        if (allowed.untilEpochMs > expiresAtMs) {
          return finish(
            'not-allowed',
            `The apology SMS is not sent: the policy allows it only after the request expires ` +
              `(${new Date(expiresAtMs).toISOString()}). ${allowed.message}`,
          );
        }
        note('apology-deferred', `The apology SMS waits (${allowed.reason}): ${allowed.message}`);
        await condition(() => stop !== undefined, Math.max(1_000, allowed.untilEpochMs - Date.now()));
        if (stop !== undefined) return finish(stop.outcome, stop.detail);
      }
      const sent = await sendText('sms.callback.apology', {}, `${keyPrefix}/sms/apology`, callerContactAt());
      return finish(
        sent ? 'sms-sent' : 'not-allowed',
        sent ? decision.message : 'The apology SMS could not be sent.',
      );
    }
    await rescore();

    // 2. Acknowledge (abandons only: a scheduled callback was asked for by the customer or an agent).
    if (request.origin === 'abandon') {
      const window = await askWindow();
      const dueMs = Math.max(
        window.verdict === 'not-yet' ? window.untilEpochMs : Date.now(),
        request.notBefore !== undefined ? Date.parse(request.notBefore) : 0,
      );
      const eta = await local.estimateCallback({
        now: workflowNow(),
        dueAt: new Date(dueMs).toISOString(),
        timeZone: request.timeZone ?? (window.timeZones.length === 1 ? window.timeZones[0] : undefined),
        locale,
      });
      const acknowledge = async (): Promise<void> => {
        let etaText = eta.text;
        // Estimates recorded by an older build carry no promisedBy.
        let etaPromisedBy: string | undefined = eta.promisedBy;
        while (replyPolicy) {
          const allowed = await askReply();
          if (allowed.verdict === 'allowed') break;
          if (allowed.verdict === 'never') {
            note('ack-not-sent', `No acknowledgement SMS (${allowed.reason}): ${allowed.message}`);
            return;
          }
          // A late acknowledgement waits for the window, but only while it still comes before the call:
          // an SMS seconds before the phone rings adds nothing.
          const callDueMs = dueAtMs ?? dueMs;
          if (allowed.untilEpochMs >= callDueMs) {
            note(
              'ack-dropped',
              `No acknowledgement SMS: ${allowed.message} The callback is due by then, so the call answers the customer.`,
            );
            return;
          }
          note('ack-deferred', `The acknowledgement SMS waits (${allowed.reason}): ${allowed.message}`);
          const movedOn = () =>
            stop !== undefined || closing || acknowledgementAbandoned || dialStarted || attempts.length > 0;
          await condition(movedOn, Math.max(1_000, allowed.untilEpochMs - Date.now()));
          if (movedOn()) {
            note('ack-dropped', 'No acknowledgement SMS: the callback moved on before a text was allowed.');
            return;
          }
          // "Tomorrow from 08:00" said last night is "from 08:00" this morning.
          const later = await local.estimateCallback({
            now: workflowNow(),
            dueAt: new Date(dueAtMs ?? dueMs).toISOString(),
            timeZone: request.timeZone ?? (window.timeZones.length === 1 ? window.timeZones[0] : undefined),
            locale,
          });
          etaText = later.text;
          etaPromisedBy = later.promisedBy;
        }
        const sent = await sendText(
          'sms.callback.acknowledged',
          { eta: etaText },
          `${keyPrefix}/sms/ack`,
          callerContactAt(),
        );
        if (sent) {
          promisedBy = etaPromisedBy;
          note('acknowledged', `Acknowledged by SMS: "we will call you back ${etaText}".`);
        }
      };
      // The acknowledgement goes beside the wait: an SMS outage must not hold up the call.
      if (life) acknowledging = acknowledge();
      else await acknowledge();
    }
    return serve();
  };

  /** The agent's phone failed: out of rotation (supervisors see why), and the next agent is asked. */
  const agentPhoneFailed = async (agentId: string, reason: string): Promise<void> => {
    await queue.takeAgentOutOfRotation({ agentId, reason });
    await leaveQueue();
    declined.add(agentId);
    claim = undefined;
    note(
      'agent-phone-failed',
      `Agent ${agentId}'s phone could not be called (${reason}); the next agent is asked.`,
    );
  };

  // 3. Until the customer is reached, the callback is stopped, or it expires.
  const serve = async (): Promise<CallbackResult> => {
    for (;;) {
      changed = false;
      if (stop !== undefined) return finish(stop.outcome, stop.detail);
      // An agent's claim accepted just before the expiry is honoured: they are waiting to talk.
      if (Date.now() >= (expiresAtMs ?? 0) && (claim === undefined || !life))
        return finish('expired', 'The callback expired before anyone reached the customer.');
      if (life && lateRequests.length > 0 && claim === undefined) {
        // Requests that arrived during the last call: the ladder goes on, so they are merged now.
        for (const late of lateRequests.splice(0)) mergeRequest(late);
      }
      if (
        life &&
        claim === undefined &&
        offer === undefined &&
        (workflowInfo().historyLength > CONTINUE_AS_NEW_AFTER_EVENTS || workflowInfo().continueAsNewSuggested)
      ) {
        return continueWaiting();
      }
      if (laterAt !== undefined) {
        const wanted = laterAt;
        laterAt = undefined;
        if (customerZoneTimes) {
          await placeLater(wanted);
        } else {
          request.notBefore =
            wanted === 'default'
              ? new Date(Date.now() + LATER_DEFAULT_MS).toISOString()
              : 'inMinutes' in wanted
                ? new Date(Date.now() + wanted.inMinutes * 60_000).toISOString()
                : await local.nextLocalTime({
                    now: workflowNow(),
                    ...(request.timeZone ? { timeZone: request.timeZone } : {}),
                    ...wanted,
                  });
          note('rescheduled', `The customer asked for a call not before ${request.notBefore}.`);
        }
      }
      const expiresAt = expiresAtMs ?? Date.now();
      // 3a. Wait for a time the contact policy allows (calling window, centre hours, caps).
      const notBeforeMs = request.notBefore !== undefined ? Date.parse(request.notBefore) : 0;
      const window = await askWindow();
      if (window.verdict === 'never') return finish('not-allowed', `${window.reason}: ${window.message}`);
      const allowedFrom = Math.max(
        window.verdict === 'not-yet' ? window.untilEpochMs : Date.now(),
        notBeforeMs,
      );
      if (allowedFrom > Date.now()) {
        await leaveQueue();
        dueAtMs = allowedFrom;
        if (allowedFrom > expiresAt) {
          enter(
            'scheduled',
            'expires-first',
            `The next allowed time is after the callback expires: ${window.message}`,
          );
          await sleepUnlessChanged(expiresAt - Date.now());
          continue;
        }
        const wait =
          window.verdict === 'not-yet' && window.untilEpochMs >= notBeforeMs
            ? window.message
            : 'A later time was asked for.';
        enter(
          ladder.length > 0 ? 'retry-wait' : 'scheduled',
          'scheduled',
          `Due at ${new Date(allowedFrom).toISOString()}: ${wait}`,
        );
        await sleepUnlessChanged(allowedFrom - Date.now());
        continue;
      }

      // 3b. Due: find an agent. Nobody is dialled until an agent has claimed the callback.
      dueAtMs ??= Date.now();
      if (state !== 'waiting-for-agent' || !inQueue || requeue) {
        await rescore();
        if (state !== 'waiting-for-agent' || !inQueue) {
          enter('waiting-for-agent', 'due', `Due; waiting for an available agent with skill ${skill}.`);
        }
      }
      if (!inQueue || requeue) {
        const first = !inQueue;
        inQueue = true;
        requeue = false;
        const queued = await queue.queueForAgent({
          workflowId,
          customerKey: request.customerKey,
          skill,
          ...(request.language !== undefined ? { language: request.language } : {}),
          priority,
          requestedAtMs: Date.parse(request.requestedAt),
          ...(preferred !== undefined
            ? { preferredAgentId: preferred.agentId, preferredOnlyUntilMs: preferred.onlyUntilMs }
            : request.previousAgentId !== undefined
              ? { preferredAgentId: request.previousAgentId }
              : {}),
          declinedAgentIds: [...declined],
        });
        if (first && queued.preferredAgentId !== undefined && preferred === undefined) {
          note('owner', `Agent ${queued.preferredAgentId} served this customer before and is asked first.`);
        }
      }
      const offeredOrChanged = () =>
        stop !== undefined || changed || offer !== undefined || claim !== undefined;
      if (oneDispatcher) {
        // The dispatcher signals the offer. The run wakes by itself only for its own deadlines: the
        // window's close, its expiry, and the end of a round in which agents declined it.
        const wakeAt = Math.min(
          expiresAt,
          window.verdict === 'allowed' ? (window.openUntilEpochMs ?? Infinity) : Infinity,
          declined.size > 0 ? Date.now() + DISPATCH_CHECK_MS : Infinity,
        );
        const woken =
          wakeAt === Infinity
            ? (await condition(offeredOrChanged), true)
            : await condition(offeredOrChanged, Math.max(1, wakeAt - Date.now()));
        if (!woken) {
          if (declined.size > 0) {
            // A new round: agents who declined earlier may be asked again.
            declined.clear();
            requeue = true;
          }
          continue;
        }
      }
      const gotSomething = oneDispatcher || (await condition(offeredOrChanged, DISPATCH_CHECK_MS));
      if (stop !== undefined) continue;
      if (changed && claim === undefined && offer === undefined) {
        requeue = true; // with the new priority or agent; a new time takes it out of the queue above
        continue;
      }
      if (!gotSomething) {
        if (declined.size > 0) {
          // A new round: agents who declined earlier may be asked again.
          declined.clear();
          requeue = true;
        } else {
          await queue.dispatchCallbacks();
        }
        continue;
      }

      // 3c. Offered: the agent accepts, rejects or lets the preview time out; anyone eligible may claim.
      if (claim === undefined && offer !== undefined) {
        const offered = offer;
        enter(
          'offered',
          'offered',
          `Offered to agent ${offered.agentId} until ${new Date(offered.expiresAt).toISOString()}.`,
          offered.agentId,
        );
        await condition(
          () => stop !== undefined || claim !== undefined || offerAnswer === 'reject' || withdrawOffer,
          Math.max(1, offered.expiresAt - Date.now()),
        );
        if (claim === undefined && withdrawOffer) {
          // A supervisor gave the callback to another agent (or another time): the offer ends now,
          // without counting as this agent's decline, and the queue entry is written anew.
          withdrawOffer = false;
          offer = undefined;
          note('offer-withdrawn', `The offer to agent ${offered.agentId} was withdrawn.`, offered.agentId);
          state = 'waiting-for-agent';
          await leaveQueue();
          continue;
        }
        withdrawOffer = false;
        if (claim === undefined) {
          offer = undefined;
          declined.add(offered.agentId);
          if (stop !== undefined) continue;
          note(
            offerAnswer === 'reject' ? 'offer-rejected' : 'offer-timed-out',
            `Agent ${offered.agentId} ${offerAnswer === 'reject' ? 'rejected the offer' : 'did not answer the offer in time'}; the next agent is asked.`,
            offered.agentId,
          );
          // Waiting again before the dispatcher runs: its next offer may arrive while declineOffer runs.
          state = 'waiting-for-agent';
          void publishToDesk();
          await queue.declineOffer({ workflowId, agentId: offered.agentId });
          continue;
        }
      }
      if (claim === undefined) continue;

      // 3d. Claimed: hold the agent, then dial agent-first.
      const claimed = claim;
      // Everything between the claim and the call request runs in this worker (local activities, in
      // parallel): no task-queue round trip stands between an agent's click and their phone ringing.
      const [held, plan, recheck] = await Promise.all([
        local.holdAgentForCall({ workflowId, agentId: claimed.agentId }),
        local.planRetry({
          now: workflowNow(),
          kind: 'callback',
          channel: 'voice',
          attempts: ladder,
          channelsTried,
        }),
        askWindow(),
      ]);
      inQueue = false;
      offer = undefined;
      if (!held.ok || held.address === undefined) {
        note('claim-void', `Agent ${claimed.agentId} is on another callback; the claim is void.`);
        claim = undefined;
        declined.add(claimed.agentId);
        continue;
      }
      claim = { agentId: claimed.agentId, name: held.name ?? claimed.name };
      const attemptNumber = attempts.length + 1;
      // The cancel promise: read the flag and request the call in one synchronous step.
      if (stop !== undefined || recheck.verdict !== 'allowed' || request.phone === undefined) {
        await leaveQueue();
        claim = undefined;
        if (stop === undefined) note('window-closed', `Not dialled: ${recheck.message}`);
        continue;
      }
      dialStarted = true;
      // One key per call request (a parked or voided placement is not an attempt on the customer, but
      // its key must not be reused: the provider may have taken it).
      dials += 1;
      const attemptKey = life ? `${keyPrefix}/voice/${dials}` : `${workflowId}/voice/${attemptNumber}`;
      const calling = voice.placeCall({
        attemptKey,
        workflowId,
        agentPhone: held.address,
        customerPhone: request.phone,
        locale,
        onVoicemail: plan.action === 'attempt' && plan.leaveVoicemail ? 'leave-message' : 'hang-up',
        customerKey: request.customerKey,
        purpose: 'callback',
        category: 'service',
        // Asked again right before the call request: the window may close while the agent is held.
        check: {
          contact,
          ...(expiresAtMs !== undefined ? { notAfter: new Date(expiresAtMs).toISOString() } : {}),
        },
      });
      enter(
        'dialling',
        'dialling',
        `Calling agent ${claimed.agentId} first, then the customer (attempt ${attemptNumber}).`,
      );
      let callSid: string;
      try {
        const placed = await calling;
        if (isHeld(placed)) {
          // Nothing was dialled: the agent is freed and the callback waits for its window again.
          await leaveQueue();
          claim = undefined;
          note('window-closed', `Not dialled: ${placed.message}`);
          if (placed.verdict === 'never') return finish('not-allowed', placed.message);
          if (placed.verdict === 'expired') return finish('expired', placed.message);
          continue;
        }
        callSid = placed.callSid;
      } catch (error) {
        if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
          if (error.cause.type === ChannelFailure.RecipientOptedOut) {
            return finish('not-allowed', 'The customer opted out or is on the do-not-contact list.');
          }
          if (life && error.cause.type === ChannelFailure.InvalidRecipient) {
            // The number Twilio is asked to ring first is the agent's: the customer is dialled
            // later, from TwiML, and a bad customer number shows in the dial result.
            await agentPhoneFailed(claimed.agentId, error.cause.message);
            continue;
          }
          if (error.cause.type === ChannelFailure.InvalidRecipient) {
            attempts.push({
              attempt: attemptNumber,
              at: new Date().toISOString(),
              agentId: claimed.agentId,
              outcome: 'invalid',
            });
            return finish('unreached', `The call could not be placed: ${error.cause.message}`);
          }
        }
        if (life && error instanceof ActivityFailure) {
          // The provider did not take the call through every retry (an outage, a misconfiguration):
          // the agent is freed and the callback waits and tries again while it lives.
          await leaveQueue();
          claim = undefined;
          note(
            'provider-unavailable',
            `The call could not be placed (${error.cause?.message ?? error.message}); trying again in ${PROVIDER_PARK_MS / 60_000} minutes.`,
          );
          enter('scheduled', 'parked', 'Waiting for the voice provider.');
          await sleepUnlessChanged(Math.min(PROVIDER_PARK_MS, Math.max(1, expiresAt - Date.now())));
          continue;
        }
        throw error;
      }
      const reportsOf = (): DeliveryStatus[] => callReports.get(attemptKey) ?? [];
      /** A person (not a machine) answered the customer leg: the conversation has begun. */
      const personAnswered = (): boolean =>
        life &&
        reportsOf().some(
          (report) =>
            report.status === 'customer-answered' &&
            !(report.answeredBy ?? '').startsWith('machine') &&
            report.answeredBy !== 'fax',
        );
      let result: CallResult | undefined;
      /** The call's final report has come (and is in `result`). */
      const finalReport = (): boolean => (result = callResult(reportsOf())) !== undefined;
      await condition(() => {
        result = callResult(reportsOf());
        return result !== undefined || stop !== undefined || personAnswered();
      }, CALL_REPORT_TIMEOUT_MS);
      // Connected the moment the customer answers: a conversation has no time limit, and the
      // system never ends one (a cancel or "reached us" now is answered `stopped: false`).
      const converse = async (): Promise<void> => {
        enter(
          'on-call',
          'connected',
          `Agent ${claimed.agentId} is talking with the customer.`,
          claimed.agentId,
        );
        await queue.recordCustomerOwner({ customerKey: request.customerKey, agentId: claimed.agentId });
        while (result === undefined) {
          const reported = await condition(
            () => (result = callResult(reportsOf())) !== undefined,
            CONVERSATION_CHECK_MS,
          );
          if (reported) continue;
          // A provider that cannot be reached (an outage) is no answer: the conversation goes on.
          const status = await askProvider(() => voice.callStatus(callSid));
          if (status !== undefined && !['queued', 'ringing', 'in-progress'].includes(status)) {
            // The call is over but its final report was lost: it was a conversation all the same.
            result = 'connected';
          }
        }
      };
      if (result === undefined && personAnswered()) await converse();
      if (result === undefined && stop === undefined && life && patched('call-report-timeout')) {
        // No report for the whole ringing time (our webhooks unreachable, the provider holding the
        // call in its queue): the provider says what became of the call instead of a guess. A live
        // conversation goes on; anything else is ended, so no call of this attempt rings on after
        // the run has moved to the next attempt.
        const endedAs = await endCallWhenReachable(callSid, finalReport);
        if (endedAs === 'in-conversation') {
          note('report-lost', 'No report came for the call, but the customer is talking with the agent.');
          await converse();
        } else {
          note(
            'call-ended',
            `No report came for the call in ${CALL_REPORT_TIMEOUT_MS / 60_000} minutes; it was ended.`,
          );
          await condition(() => (result = callResult(reportsOf())) !== undefined, '1m');
        }
      }
      if (result === undefined && stop !== undefined) {
        const endedAs = life
          ? await endCallWhenReachable(callSid, finalReport)
          : await voice.endCall(callSid);
        if (life && endedAs === 'in-conversation') {
          // The customer picked up as the callback was stopped: that conversation goes on.
          note('stop-too-late', 'The customer answered as the callback was stopped; the call goes on.');
          await converse();
        } else {
          note('call-ended', 'The call was ended: the callback was stopped while it rang.');
          await condition(() => (result = callResult(reportsOf())) !== undefined, '1m');
        }
      }
      const ended = result ?? 'failed';

      const agentLegFailed = reportsOf().find((report) => report.status === 'failed');
      if (life && ended === 'agent-missed' && agentLegFailed !== undefined) {
        attempts.push({
          attempt: attemptNumber,
          at: new Date().toISOString(),
          agentId: claimed.agentId,
          outcome: 'agent-missed',
        });
        await agentPhoneFailed(
          claimed.agentId,
          `the call to the agent failed${agentLegFailed.errorCode !== undefined ? ` (error ${agentLegFailed.errorCode})` : ''}`,
        );
        continue;
      }
      if (ended === 'agent-missed' || ended === 'ended') {
        attempts.push({
          attempt: attemptNumber,
          at: new Date().toISOString(),
          agentId: claimed.agentId,
          outcome: 'agent-missed',
        });
        await leaveQueue();
        declined.add(claimed.agentId);
        claim = undefined;
        note('agent-missed', `Agent ${claimed.agentId} did not take the call; the customer was not dialled.`);
        continue;
      }

      attempts.push({
        attempt: attemptNumber,
        at: new Date().toISOString(),
        agentId: claimed.agentId,
        outcome: ended,
      });
      if (ended === 'connected') {
        if (state !== 'on-call') {
          enter(
            'on-call',
            'connected',
            `Agent ${claimed.agentId} is talking with the customer.`,
            claimed.agentId,
          );
          await queue.recordCustomerOwner({ customerKey: request.customerKey, agentId: claimed.agentId });
        }
        await condition(() => disposition !== undefined, DISPOSITION_TIMEOUT_MS);
        const recorded = disposition;
        disposition = undefined;
        if (recorded === undefined) return finish('connected', 'Connected; no disposition was recorded.');
        if (recorded.disposition === 'follow-up' && recorded.followUpAt !== undefined) {
          await finish('follow-up-scheduled', `Connected; follow-up at ${recorded.followUpAt}.`);
          await continueAsNew<typeof abandonedCallCallback>({
            ...request,
            origin: 'follow-up',
            requestId: `${keyPrefix}/follow-up/${attemptNumber}`,
            notBefore: recorded.followUpAt,
            requestedAt: new Date().toISOString(),
            previousAgentId: claimed.agentId,
            ttlHours: Math.max(1, Math.ceil((Date.parse(recorded.followUpAt) - Date.now()) / 3_600_000) + 24),
          });
        }
        if (recorded.disposition === 'wrong-number')
          return finish('wrong-number', 'The number does not belong to the customer.');
        if (recorded.disposition === 'resolved' || recorded.disposition === 'not-interested') {
          return finish('connected', `Connected: ${recorded.disposition}.`);
        }
        // voicemail-left / no-answer: the detection missed it; the ladder goes on.
        attempts[attempts.length - 1] = {
          ...attempts[attempts.length - 1]!,
          outcome: recorded.disposition === 'voicemail-left' ? 'voicemail' : 'no-answer',
        };
      }

      // 3e. Not reached: the retry ladder decides the next attempt, the fallback or giving up.
      const last = attempts[attempts.length - 1]!;
      const attemptOutcome: AttemptOutcome =
        last.outcome === 'connected' || last.outcome === 'agent-missed' ? 'failed' : last.outcome;
      if (last.outcome !== attemptOutcome)
        attempts[attempts.length - 1] = { ...last, outcome: attemptOutcome };
      ladder.push({ at: new Date().toISOString(), outcome: attemptOutcome });
      await leaveQueue();
      claim = undefined;
      declined.clear();
      if (!channelsTried.includes('voice')) channelsTried.push('voice');
      const next = await local.planRetry({
        now: workflowNow(),
        kind: 'callback',
        channel: 'voice',
        attempts: ladder,
        channelsTried,
      });
      note(attemptOutcome, `Attempt ${attemptNumber}: ${attemptOutcome}. ${next.message}`);
      if (next.action === 'attempt') {
        request.notBefore = next.notBefore;
        dueAtMs = next.notBeforeEpochMs;
        enter('retry-wait', 'retry', `Next attempt not before ${next.notBefore}.`);
        continue;
      }
      if (next.action === 'fallback' && next.channel === 'sms') {
        channelsTried.push('sms');
        const sent = await sendText('sms.callback.missed', {}, `${keyPrefix}/sms/missed-${attemptNumber}`);
        if (!sent)
          return finish('unreached', 'Not reached by phone, and the fallback SMS could not be sent.');
        reopened = false;
        enter('fallback-sent', 'fallback', 'Not reached by phone; an SMS offers a new call (reply 1).');
        await condition(() => stop !== undefined || reopened, Math.max(1, expiresAt - Date.now()));
        if (stop !== undefined) continue;
        if (!reopened)
          return finish('expired', 'Not reached by phone, no reply to the SMS before the callback expired.');
        ladder = [];
        request.notBefore = undefined;
        note('reopened', 'The customer asked for a new call.');
        continue;
      }
      return finish('unreached', next.message);
    }
  };

  // Whatever ends the run — an outcome, a failure, a cancel from the Temporal UI — its agent and
  // queue entry are released. (A terminated run runs no code: the dispatcher's reaper frees it.)
  try {
    return await begin();
  } catch (error) {
    if (life && isCancellation(error)) {
      upsertSearchAttributes([
        { key: searchAttributes.State, value: 'done' },
        { key: searchAttributes.Outcome, value: 'cancelled' },
      ]);
    }
    throw error;
  } finally {
    if (life && (inQueue || claim !== undefined || offer !== undefined)) {
      await CancellationScope.nonCancellable(() => queue.leaveAgentQueue({ workflowId }));
    }
  }
}
