import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
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
import { parseWorkflowInput } from './workflow-input';

export interface CallbackResult {
  outcome: CallbackOutcome;
  detail: string;
  attempts: AttemptSummary[];
  agentId?: string;
}

/** How often a waiting callback asks the dispatcher again, in case an agent's presence signal was missed. */
const DISPATCH_CHECK_MS = 120_000;
/** How long a call may go on without a final report before it counts as failed. */
const CALL_REPORT_TIMEOUT_MS = 15 * 60_000;
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
  const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10s' });
  const queue = proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });
  const { sms, voice } = channelProxies(taskQueue);

  // ---- state -------------------------------------------------------------------------------
  const request: CallbackRequest = { ...first };
  const requestIds = new Set([first.requestId]);
  let state: CallbackState = 'deciding';
  let outcome: CallbackOutcome | undefined;
  let detail = 'Deciding what this request gets.';
  let priority = first.priorityPoints;
  let dueAtMs: number | undefined;
  // Set once the decision gives the TTL; the query handler reads it before that.
  // eslint-disable-next-line prefer-const
  let expiresAtMs: number | undefined;
  let skill = first.skill;
  const timeline: TimelineEntry[] = [];
  const attempts: AttemptSummary[] = [];
  /** The voice attempts of the current ladder round (a reopened callback starts a new round). */
  let ladder: { at: string; outcome: AttemptOutcome }[] = [];
  const channelsTried: ('voice' | 'sms' | 'email')[] = [];
  let offer: { agentId: string; expiresAt: number } | undefined;
  let offerAnswer: 'accept' | 'reject' | undefined;
  let claim: { agentId: string; name: string } | undefined;
  let preferred: { agentId: string; onlyUntilMs: number } | undefined;
  const declined = new Set<string>();
  /** A row for this callback is in the store's agent queue. */
  let inQueue = false;
  /** The row must be written again (new priority, agent or declined list). */
  let requeue = false;
  let stop: { outcome: 'resolved-elsewhere' | 'cancelled'; detail: string } | undefined;
  let dialStarted = false;
  let changed = false;
  let reopened = false;
  let laterAt: { hour: number; minute: number } | 'default' | undefined;
  let disposition: ReturnType<typeof dispositionSchema.parse> | undefined;
  const callReports = new Map<string, DeliveryStatus[]>();
  const lateRequests: CallbackRequest[] = [];

  const note = (step: string, text: string): void => {
    timeline.push({ at: new Date().toISOString(), state, step, detail: text });
    if (timeline.length > TIMELINE_LIMIT) timeline.splice(0, timeline.length - TIMELINE_LIMIT);
    detail = text;
  };
  const summary = (): string =>
    `callback (${request.origin}, ${skill}): ${outcome ?? state}` +
    (claim ? ` — agent ${claim.agentId}` : '') +
    ` — priority ${priority}, ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}`;
  const enter = (next: CallbackState, step: string, text: string): void => {
    state = next;
    note(step, text);
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

  setHandler(callbackRequestedSignal, (next) => {
    // Signal-with-start delivers the first request twice (argument and signal): count it once.
    if (requestIds.has(next.requestId)) return;
    requestIds.add(next.requestId);
    if (state === 'done') {
      // Arrived while this run was finishing: it starts the next callback.
      lateRequests.push(next);
      return;
    }
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
    note(
      'merged',
      `Another ${next.origin} request merged (${request.abandonCount} so far); the original time is kept.`,
    );
  });

  setHandler(callbackOfferedSignal, (made) => {
    if (state !== 'waiting-for-agent' || claim !== undefined) return;
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
    const parsed = parseCallbackReply(reply.body);
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
      laterAt = parsed.localTime ?? 'default';
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
    if (stop !== undefined || state === 'done') {
      throw new Error(
        `this callback is ${outcome ?? stop?.outcome ?? 'closed'}: it can no longer be claimed`,
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
      note('claimed', `Claimed by agent ${agent.agentId}.`);
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
        note('claimed', `Agent ${answer.agentId} accepted the offer.`);
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
    if (state === 'done' || stop !== undefined) throw new Error(`this callback is ${outcome ?? 'closing'}`);
  };
  setHandler(
    rescheduleCallbackUpdate,
    (input) => {
      const { notBefore, by } = rescheduleSchema.parse(input);
      request.notBefore = notBefore;
      changed = true;
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
      note('priority-raised', `Priority raised by ${points} by ${by}.`);
      upsertSearchAttributes([{ key: searchAttributes.Priority, value: priority }]);
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

  const leaveQueue = async (): Promise<void> => {
    if (!inQueue && claim === undefined && offer === undefined) return;
    inQueue = false;
    requeue = false;
    offer = undefined;
    await queue.leaveAgentQueue({ workflowId });
  };

  const finish = async (result: CallbackOutcome, text: string): Promise<CallbackResult> => {
    await leaveQueue();
    outcome = result;
    state = 'done';
    note(result, text);
    upsertSearchAttributes([
      { key: searchAttributes.State, value: 'done' },
      { key: searchAttributes.Outcome, value: result },
      { key: searchAttributes.Attempts, value: attempts.length },
    ]);
    upsertMemo({ summary: summary() });
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

  const sendText = async (
    template: string,
    variables: Record<string, string>,
    attemptKey: string,
  ): Promise<boolean> => {
    if (request.phone === undefined) return false;
    try {
      await sms.sendSms({
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
      });
      return true;
    } catch (error) {
      // An SMS that cannot go (bad number for SMS, STOP on SMS) does not stop the callback itself.
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
        if ((nonRetryableChannelFailures as readonly string[]).includes(error.cause.type ?? '')) {
          note('sms-refused', `The SMS could not be sent: ${error.cause.type}.`);
          return false;
        }
      }
      throw error;
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
    { key: searchAttributes.State, value: 'deciding' },
    { key: searchAttributes.RequestedAt, value: new Date(request.requestedAt) },
    ...(request.tenant !== undefined ? [{ key: searchAttributes.Tenant, value: request.tenant }] : []),
  ]);
  const decision: CallbackDecision = await local.decideCallback(request, workflowNow());
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
    const sent = await sendText('sms.callback.apology', {}, `${workflowId}/sms/apology`);
    return finish(
      sent ? 'sms-sent' : 'not-allowed',
      sent ? decision.message : 'The apology SMS could not be sent.',
    );
  }

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
    const sent = await sendText('sms.callback.acknowledged', { eta: eta.text }, `${workflowId}/sms/ack`);
    if (sent) note('acknowledged', `Acknowledged by SMS: "we will call you back ${eta.text}".`);
  }

  // 3. Until the customer is reached, the callback is stopped, or it expires.
  for (;;) {
    changed = false;
    if (stop !== undefined) return finish(stop.outcome, stop.detail);
    if (Date.now() >= expiresAtMs)
      return finish('expired', 'The callback expired before anyone reached the customer.');
    if (laterAt !== undefined) {
      const wanted = laterAt;
      laterAt = undefined;
      request.notBefore =
        wanted === 'default'
          ? new Date(Date.now() + LATER_DEFAULT_MS).toISOString()
          : await local.nextLocalTime({
              now: workflowNow(),
              ...(request.timeZone ? { timeZone: request.timeZone } : {}),
              ...wanted,
            });
      note('rescheduled', `The customer asked for a call not before ${request.notBefore}.`);
    }

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
      if (allowedFrom > expiresAtMs) {
        enter(
          'scheduled',
          'expires-first',
          `The next allowed time is after the callback expires: ${window.message}`,
        );
        await sleepUnlessChanged(expiresAtMs - Date.now());
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
    const gotSomething = await condition(
      () => stop !== undefined || changed || offer !== undefined || claim !== undefined,
      DISPATCH_CHECK_MS,
    );
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
      );
      await condition(
        () => stop !== undefined || claim !== undefined || offerAnswer === 'reject',
        Math.max(1, offered.expiresAt - Date.now()),
      );
      if (claim === undefined) {
        offer = undefined;
        declined.add(offered.agentId);
        if (stop !== undefined) continue;
        note(
          offerAnswer === 'reject' ? 'offer-rejected' : 'offer-timed-out',
          `Agent ${offered.agentId} ${offerAnswer === 'reject' ? 'rejected the offer' : 'did not answer the offer in time'}; the next agent is asked.`,
        );
        // Waiting again before the dispatcher runs: its next offer may arrive while declineOffer runs.
        state = 'waiting-for-agent';
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
    const attemptKey = `${workflowId}/voice/${attemptNumber}`;
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
    });
    enter(
      'dialling',
      'dialling',
      `Calling agent ${claimed.agentId} first, then the customer (attempt ${attemptNumber}).`,
    );
    let callSid: string;
    try {
      callSid = (await calling).callSid;
    } catch (error) {
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
        if (error.cause.type === ChannelFailure.RecipientOptedOut) {
          return finish('not-allowed', 'The customer opted out or is on the do-not-contact list.');
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
      throw error;
    }
    let result: CallResult | undefined;
    await condition(() => {
      result = callResult(callReports.get(attemptKey) ?? []);
      return result !== undefined || stop !== undefined;
    }, CALL_REPORT_TIMEOUT_MS);
    if (result === undefined && stop !== undefined) {
      note('call-ended', 'The call was ended: the callback was stopped while it rang.');
      await voice.endCall(callSid);
      await condition(() => (result = callResult(callReports.get(attemptKey) ?? [])) !== undefined, '1m');
    }
    const ended = result ?? 'failed';

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
      enter('on-call', 'connected', `Agent ${claimed.agentId} is talking with the customer.`);
      await queue.recordCustomerOwner({ customerKey: request.customerKey, agentId: claimed.agentId });
      await condition(() => disposition !== undefined, DISPOSITION_TIMEOUT_MS);
      const recorded = disposition;
      disposition = undefined;
      if (recorded === undefined) return finish('connected', 'Connected; no disposition was recorded.');
      if (recorded.disposition === 'follow-up' && recorded.followUpAt !== undefined) {
        await finish('follow-up-scheduled', `Connected; follow-up at ${recorded.followUpAt}.`);
        await continueAsNew<typeof abandonedCallCallback>({
          ...request,
          origin: 'follow-up',
          requestId: `${workflowId}/follow-up/${attemptNumber}`,
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
    if (last.outcome !== attemptOutcome) attempts[attempts.length - 1] = { ...last, outcome: attemptOutcome };
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
      const sent = await sendText('sms.callback.missed', {}, `${workflowId}/sms/missed-${attemptNumber}`);
      if (!sent) return finish('unreached', 'Not reached by phone, and the fallback SMS could not be sent.');
      reopened = false;
      enter('fallback-sent', 'fallback', 'Not reached by phone; an SMS offers a new call (reply 1).');
      await condition(() => stop !== undefined || reopened, Math.max(1, expiresAtMs - Date.now()));
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
}
