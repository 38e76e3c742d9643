import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CallbackOrigin, CallbackRequest } from '../domain/callbacks/callback-request';
import type {
  ClaimingAgent,
  DispositionInput,
  OfferAnswer,
  RaisePriorityInput,
  ReassignInput,
  RescheduleInput,
  StopCallbackInput,
} from '../domain/callbacks/callback-update-inputs';
import type { AttemptOutcome } from '../domain/policy/vocabulary';
import type { TimelineEntry } from './run-state';

export type { TimelineEntry } from './run-state';
export type {
  ClaimingAgent,
  DispositionInput,
  OfferAnswer,
  RaisePriorityInput,
  ReassignInput,
  RescheduleInput,
  StopCallbackInput,
} from '../domain/callbacks/callback-update-inputs';

/**
 * Everything outside an `abandonedCallCallback` run says to it or asks of it, defined once for the
 * workflow, the client and the API. Update arguments are zod schemas
 * (domain/callbacks/callback-update-inputs.ts): the API validates with them before sending, the
 * workflow's (synchronous) validators again before accepting — loading them only when an update
 * comes, so a waiting run does not carry zod (workflows/callback/update-inputs.ts).
 */

/** Where a callback is; also the `State` search attribute. */
export type CallbackState =
  | 'deciding'
  | 'scheduled'
  | 'waiting-for-agent'
  | 'offered'
  | 'dialling'
  | 'on-call'
  | 'retry-wait'
  | 'fallback-sent'
  | 'done';

/** How a callback ended; also the `Outcome` search attribute. */
export type CallbackOutcome =
  | 'connected'
  | 'follow-up-scheduled'
  | 'wrong-number'
  | 'resolved-elsewhere'
  | 'cancelled'
  | 'expired'
  | 'unreached'
  | 'ignored'
  | 'sms-sent'
  | 'not-allowed';

export interface AttemptSummary {
  attempt: number;
  at: string;
  agentId: string;
  outcome: AttemptOutcome | 'connected' | 'agent-missed';
}

/** What the agent desk and supervisors see of a callback. */
export interface CallbackStatus {
  workflowId: string;
  state: CallbackState;
  outcome?: CallbackOutcome;
  /** The latest decision or result, for people. */
  detail: string;
  priority: number;
  requestedAt: string;
  dueAt?: string;
  expiresAt?: string;
  offer?: { agentId: string; expiresAt: string };
  agent?: { agentId: string; name: string };
  attempts: AttemptSummary[];
  context: {
    origin: CallbackOrigin;
    queue: string;
    skill: string;
    reason?: string;
    waitedSeconds: number;
    abandonCount: number;
    tier?: string;
    language?: string;
    customerName?: string;
    timeZone?: string;
    surveyScore?: CallbackRequest['surveyScore'];
  };
  /** Steps: decided, acknowledged, due, offered, claimed, dialling, … each with its state and a sentence. */
  timeline: TimelineEntry<CallbackState>[];
}

export interface StopResult {
  /** True when this call stopped the callback; false when it had already ended or the customer is on the call. */
  stopped: boolean;
  /**
   * True when a call to the agent had already been requested: it is being ended. False is the
   * promise: this callback will never dial the customer.
   */
  dialStarted: boolean;
  outcome?: CallbackOutcome;
}

/** A new abandon (or request) for a customer whose callback is pending: merged, never a second callback. */
export const callbackRequestedSignal = defineSignal<[CallbackRequest]>('callbackRequested');
/**
 * The dispatcher reserved an agent for this callback for `offerMs`. The run times the offer on its own
 * clock (workflow time), so a preview time-out holds under time skipping as in production.
 */
export const callbackOfferedSignal = defineSignal<[{ agentId: string; offerMs: number }]>('callbackOffered');

export const claimCallbackUpdate = defineUpdate<CallbackStatus, [ClaimingAgent]>('claimCallback');
export const answerOfferUpdate = defineUpdate<CallbackStatus, [OfferAnswer]>('answerOffer');
export const customerReachedUsUpdate = defineUpdate<StopResult, [StopCallbackInput]>('customerReachedUs');
export const cancelCallbackUpdate = defineUpdate<StopResult, [StopCallbackInput]>('cancelCallback');
export const rescheduleCallbackUpdate = defineUpdate<CallbackStatus, [RescheduleInput]>('rescheduleCallback');
export const reassignCallbackUpdate = defineUpdate<CallbackStatus, [ReassignInput]>('reassignCallback');
export const raisePriorityUpdate = defineUpdate<CallbackStatus, [RaisePriorityInput]>('raisePriority');
export const recordDispositionUpdate = defineUpdate<CallbackStatus, [DispositionInput]>('recordDisposition');

export const callbackStatusQuery = defineQuery<CallbackStatus>('callbackStatus');

/**
 * Something changed that may let the dispatcher offer a callback: one became due or changed, an
 * agent became available, an offer or a call ended. Sent with signal-with-start, so the first one
 * starts the dispatcher; many in a row cost one pass.
 */
export const dispatchNeededSignal = defineSignal('dispatchNeeded');

/** The one callback dispatcher of a task queue. */
export function callbackDispatcherId(taskQueue: string): string {
  return `callback-dispatcher/${taskQueue}`;
}

/**
 * The dispatcher's workflow task timeout, given when it starts and again at each continue-as-new
 * (Temporal's default is 10 s). Every signal is an event in its history, and on a worker saturated
 * by a burst of starts its task waits behind the other runs' activations, then replays from the
 * start. With 10 s, a burst of 5,000 abandoned calls made every attempt time out, each timeout sent
 * the task to the back of the task queue, and no offer was made for half an hour. A minute lets the
 * replay finish; an agent is still offered a callback as soon as the task runs.
 */
export const DISPATCHER_TASK_TIMEOUT = '60s';
