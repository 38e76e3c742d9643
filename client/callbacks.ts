import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { InvalidRequestError, parseOrThrow, type RequestProblem } from './invalid-request';
import { customerKeyFor } from '../domain/customer-key';
import {
  abandonEventSchema,
  callerNumber,
  defaultAbandonRules,
  scheduleCallbackSchema,
  skillForQueue,
  type AbandonEventInput,
  type AbandonRules,
  type CallbackRequest,
  type ScheduleCallbackInput,
} from '../domain/callbacks';
import { normalisePhoneNumber } from '../domain/phone-number';
import {
  answerOfferUpdate,
  callbackStatusQuery,
  cancelCallbackUpdate,
  claimCallbackUpdate,
  customerReachedUsUpdate,
  raisePriorityUpdate,
  reassignCallbackUpdate,
  recordDispositionUpdate,
  rescheduleCallbackUpdate,
  type CallbackStatus,
  type ClaimingAgent,
  type DispositionInput,
  type OfferAnswer,
  type RaisePriorityInput,
  type ReassignInput,
  type RescheduleInput,
  type StopCallbackInput,
  type StopResult,
} from '../workflows/callback-messages';
import {
  claimingAgentSchema,
  dispositionSchema,
  offerAnswerSchema,
  raisePrioritySchema,
  reassignSchema,
  rescheduleSchema,
  stopCallbackSchema,
} from '../domain/callbacks/callback-update-inputs';
import { searchAttributes } from '../workflows/search-attributes';
import { CALLBACK_WORKFLOW_TYPE, startOrJoinCallback } from '../services/start-or-join-callback';

/** The furthest ahead a callback may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 45 * 24 * 3_600_000;

/** The workflow refused an update (a second claim, a claim by the wrong agent, a closed callback). */
export class CallbackRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackRejectedError';
  }
}

export interface CallbackClientOptions {
  temporal: Client;
  taskQueue: string;
  /** The key of customer hashes (CUSTOMER_KEY_SECRET): the same as the workers'. */
  customerKeySecret: string;
  /** @default the shipped rules */
  rules?: AbandonRules;
  /** One pending callback per number and queue instead of per number (CALLBACK_PER_QUEUE). @default false */
  perQueue?: boolean;
  clock?: () => number;
}

export interface CallbackHandleInfo {
  workflowId: string;
  customerKey: string;
}

/** A callback as the visibility store lists it (search attributes only: no number, no name). */
export interface CallbackListItem {
  workflowId: string;
  status: string;
  state?: string;
  outcome?: string;
  skill?: string;
  queue?: string;
  agentId?: string;
  priority?: number;
  attempts?: number;
  dueAt?: string;
  requestedAt?: string;
}

const keyword = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'letters, digits and . _ : @ - only');
export const callbackListFilterSchema = z.object({
  state: keyword.optional(),
  skill: keyword.optional(),
  agentId: keyword.optional(),
  customer: keyword.optional().describe('the keyed customer hash'),
  open: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .default(true),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type CallbackListFilter = z.input<typeof callbackListFilterSchema>;

/**
 * The workflow id of a customer's callback: `callback-` + a keyed hash of the number (and the tenant,
 * and the queue when callbacks are per queue). Workflow ids are not encrypted: never the number.
 */
export function callbackWorkflowIdFor(
  phoneE164: string,
  secret: string,
  scope: { tenant?: string; queue?: string; perQueue?: boolean } = {},
): string {
  const parts = [scope.tenant ?? '', scope.perQueue ? (scope.queue ?? '').toLowerCase() : ''];
  const scoped = parts.some((part) => part !== '') ? `${phoneE164}|${parts.join('|')}` : phoneE164;
  return `callback-${customerKeyFor(scoped, secret)}`;
}

/**
 * Abandoned-call, scheduled and follow-up callbacks: start, steer and read them. One run per
 * customer number (per queue with `perQueue`); its id is a keyed hash of the number, so no phone
 * number shows in the Temporal UI.
 *
 * @example
 * const { workflowId } = await recontact.callbacks.requestCallback({
 *   callId: 'CA1', from: '+12125550123', queue: 'sales', waitedSeconds: 95, abandonedAt: new Date().toISOString(),
 * });
 * await recontact.callbacks.customerReachedUs({ phone: '+12125550123' }, { by: 'acd', channel: 'chat' });
 */
export class CallbackClient {
  private readonly rules: AbandonRules;
  private readonly clock: () => number;

  constructor(private readonly options: CallbackClientOptions) {
    this.rules = options.rules ?? defaultAbandonRules;
    this.clock = options.clock ?? Date.now;
  }

  /** The workflow id of a customer's callback: `callback-<keyed hash>`. */
  workflowIdFor(phoneE164: string, scope: { tenant?: string; queue?: string } = {}): string {
    return callbackWorkflowIdFor(phoneE164, this.options.customerKeySecret, {
      ...scope,
      perQueue: this.options.perQueue ?? false,
    });
  }

  /**
   * An abandoned call: starts the customer's callback, or joins the one pending (signal-with-start).
   * A withheld or invalid number still gets a run, which records why nobody was called.
   */
  async requestCallback(event: AbandonEventInput): Promise<CallbackHandleInfo> {
    const parsed = parseOrThrow(abandonEventSchema, event);
    const number = callerNumber(parsed);
    const customerKey = customerKeyFor(
      number?.e164 ?? `anonymous:${parsed.callId}`,
      this.options.customerKeySecret,
    );
    const workflowId =
      number === undefined ? `callback-${customerKey}` : this.workflowIdFor(number.e164, parsed);
    const request: CallbackRequest = {
      origin: 'abandon',
      requestId: parsed.callId,
      customerKey,
      ...(number !== undefined ? { phone: number.e164 } : {}),
      ...(number?.country !== undefined ? { country: number.country } : {}),
      ...(parsed.customerId !== undefined ? { customerId: parsed.customerId } : {}),
      ...(parsed.language !== undefined ? { language: parsed.language } : {}),
      ...(parsed.tier !== undefined ? { tier: parsed.tier } : {}),
      ...(parsed.tenant !== undefined ? { tenant: parsed.tenant } : {}),
      ...(parsed.ivrInput !== undefined ? { reason: parsed.ivrInput } : {}),
      queue: parsed.queue,
      skill: skillForQueue(parsed.queue, this.rules),
      waitedSeconds: parsed.waitedSeconds,
      requestedAt: parsed.abandonedAt,
      priorityPoints: 0,
      abandonCount: 1,
    };
    await this.signalWithStart(workflowId, request);
    return { workflowId, customerKey };
  }

  /** A callback at a chosen time (customer's request, agent's promise); joins a pending one. */
  async scheduleCallback(input: ScheduleCallbackInput): Promise<CallbackHandleInfo> {
    const parsed = parseOrThrow(scheduleCallbackSchema, input);
    const number = normalisePhoneNumber(parsed.phone, parsed.defaultCountry);
    const nowMs = this.clock();
    const atMs = Date.parse(parsed.at);
    const problems: RequestProblem[] = [];
    if (number === undefined) {
      problems.push({
        field: 'phone',
        rule: 'phone-number',
        message: 'not a valid phone number (E.164, or national with defaultCountry)',
      });
    }
    if (atMs <= nowMs) problems.push({ field: 'at', rule: 'future', message: 'must be in the future' });
    if (atMs > nowMs + MAX_SCHEDULE_AHEAD_MS) {
      problems.push({ field: 'at', rule: 'max-ahead', message: 'must be at most 45 days ahead' });
    }
    if (problems.length > 0 || number === undefined) throw new InvalidRequestError(problems);
    const customerKey = customerKeyFor(number.e164, this.options.customerKeySecret);
    const workflowId = this.workflowIdFor(number.e164, parsed);
    const request: CallbackRequest = {
      origin: 'scheduled',
      requestId: parsed.requestId ?? randomUUID(),
      customerKey,
      phone: number.e164,
      ...(number.country !== undefined ? { country: number.country } : {}),
      ...(parsed.customerName !== undefined ? { customerName: parsed.customerName } : {}),
      ...(parsed.customerId !== undefined ? { customerId: parsed.customerId } : {}),
      ...(parsed.timeZone !== undefined ? { timeZone: parsed.timeZone } : {}),
      ...(parsed.language !== undefined ? { language: parsed.language } : {}),
      ...(parsed.tier !== undefined ? { tier: parsed.tier } : {}),
      ...(parsed.tenant !== undefined ? { tenant: parsed.tenant } : {}),
      ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
      ...(parsed.previousAgentId !== undefined ? { previousAgentId: parsed.previousAgentId } : {}),
      queue: parsed.queue,
      skill: parsed.skill ?? skillForQueue(parsed.queue, this.rules),
      waitedSeconds: 0,
      requestedAt: new Date(nowMs).toISOString(),
      notBefore: parsed.at,
      ttlHours: Math.ceil((atMs - nowMs) / 3_600_000) + parsed.ttlHours,
      priorityPoints: 0,
      abandonCount: 1,
    };
    await this.signalWithStart(workflowId, request);
    return { workflowId, customerKey };
  }

  /** Starts a prepared request (a rescue, say), or merges it into the customer's pending callback. */
  async startRequest(workflowId: string, request: CallbackRequest): Promise<void> {
    await this.signalWithStart(workflowId, request);
  }

  private async signalWithStart(workflowId: string, request: CallbackRequest): Promise<void> {
    await startOrJoinCallback(this.options.temporal, {
      workflowId,
      taskQueue: this.options.taskQueue,
      request,
    });
  }

  /** The run for a workflow id, or for a customer's number. */
  private handle(target: CallbackTarget) {
    const workflowId =
      'workflowId' in target ? target.workflowId : this.workflowIdFromPhone(target.phone, target);
    return this.options.temporal.workflow.getHandle(workflowId);
  }

  private workflowIdFromPhone(
    phone: string,
    scope: { tenant?: string; queue?: string; defaultCountry?: string },
  ) {
    const number = normalisePhoneNumber(phone, scope.defaultCountry);
    if (number === undefined) {
      throw new InvalidRequestError([
        { field: 'phone', rule: 'phone-number', message: 'not a valid phone number' },
      ]);
    }
    return this.workflowIdFor(number.e164, scope);
  }

  private async update<Result, Args extends [unknown]>(
    target: CallbackTarget,
    definition: UpdateDefinition<Result, Args>,
    args: Args,
  ): Promise<Result> {
    try {
      return await this.handle(target).executeUpdate(definition, { args });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new CallbackRejectedError(error.cause?.message ?? error.message);
      }
      throw error;
    }
  }

  /** The ACD or CRM reached the customer some other way: the callback ends `resolved-elsewhere`. */
  customerReachedUs(target: CallbackTarget, input: StopCallbackInput = {}): Promise<StopResult> {
    return this.update(target, customerReachedUsUpdate, [parseOrThrow(stopCallbackSchema, input)]);
  }

  /** A supervisor cancels the callback. */
  cancel(target: CallbackTarget, input: StopCallbackInput): Promise<StopResult> {
    return this.update(target, cancelCallbackUpdate, [parseOrThrow(stopCallbackSchema, input)]);
  }

  reschedule(target: CallbackTarget, input: RescheduleInput): Promise<CallbackStatus> {
    return this.update(target, rescheduleCallbackUpdate, [parseOrThrow(rescheduleSchema, input)]);
  }

  reassign(target: CallbackTarget, input: ReassignInput): Promise<CallbackStatus> {
    return this.update(target, reassignCallbackUpdate, [parseOrThrow(reassignSchema, input)]);
  }

  raisePriority(target: CallbackTarget, input: RaisePriorityInput): Promise<CallbackStatus> {
    return this.update(target, raisePriorityUpdate, [parseOrThrow(raisePrioritySchema, input)]);
  }

  /** An agent claims the callback; `agent` comes from the store (the API reads it), never from the caller. */
  claim(target: CallbackTarget, agent: ClaimingAgent): Promise<CallbackStatus> {
    return this.update(target, claimCallbackUpdate, [parseOrThrow(claimingAgentSchema, agent)]);
  }

  answerOffer(target: CallbackTarget, answer: OfferAnswer): Promise<CallbackStatus> {
    return this.update(target, answerOfferUpdate, [parseOrThrow(offerAnswerSchema, answer)]);
  }

  recordDisposition(target: CallbackTarget, input: DispositionInput): Promise<CallbackStatus> {
    return this.update(target, recordDispositionUpdate, [parseOrThrow(dispositionSchema, input)]);
  }

  /** State, context, attempts and the full timeline. */
  status(target: CallbackTarget): Promise<CallbackStatus> {
    return this.handle(target).query(callbackStatusQuery);
  }

  /** Callbacks from the visibility store (eventually consistent: a change shows within about a second). */
  async list(filter: CallbackListFilter = {}): Promise<CallbackListItem[]> {
    const parsed = callbackListFilterSchema.parse(filter);
    const clauses = [`WorkflowType = "${CALLBACK_WORKFLOW_TYPE}"`];
    if (parsed.state !== undefined) clauses.push(`State = "${parsed.state}"`);
    if (parsed.skill !== undefined) clauses.push(`Skill = "${parsed.skill}"`);
    if (parsed.agentId !== undefined) clauses.push(`AgentId = "${parsed.agentId}"`);
    if (parsed.customer !== undefined) clauses.push(`Customer = "${parsed.customer}"`);
    clauses.push(parsed.open ? 'ExecutionStatus = "Running"' : 'ExecutionStatus != "Running"');
    const items: CallbackListItem[] = [];
    for await (const execution of this.options.temporal.workflow.list({ query: clauses.join(' AND ') })) {
      const get = execution.typedSearchAttributes;
      const dueAt = get.get(searchAttributes.DueAt);
      const requestedAt = get.get(searchAttributes.RequestedAt);
      const item: CallbackListItem = { workflowId: execution.workflowId, status: execution.status.name };
      const fields = {
        state: get.get(searchAttributes.State),
        outcome: get.get(searchAttributes.Outcome),
        skill: get.get(searchAttributes.Skill),
        queue: get.get(searchAttributes.Queue),
        agentId: get.get(searchAttributes.AgentId),
        priority: get.get(searchAttributes.Priority),
        attempts: get.get(searchAttributes.Attempts),
        dueAt: dueAt?.toISOString(),
        requestedAt: requestedAt?.toISOString(),
      };
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) (item as unknown as Record<string, unknown>)[key] = value;
      }
      items.push(item);
      if (items.length >= parsed.limit) break;
    }
    // Service order: priority, then the original request time.
    return items.sort(
      (a, b) =>
        (b.priority ?? 0) - (a.priority ?? 0) || (a.requestedAt ?? '').localeCompare(b.requestedAt ?? ''),
    );
  }
}

/** Which callback: its workflow id, or the customer's number (with tenant/queue when ids are scoped). */
export type CallbackTarget =
  { workflowId: string } | { phone: string; defaultCountry?: string; tenant?: string; queue?: string };
