import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { z } from 'zod';
import { customerKeyFor } from '../domain/customer-key';
import {
  courtesyRequestSchema,
  courtesyRescheduleSchema,
  courtesyWorkflowId,
  type CourtesyRequestInput,
} from '../domain/courtesy';
import type { Contact } from '../domain/policy';
import { courtesyMessage } from '../workflows/courtesy-message';
import {
  cancelCourtesySignal,
  courtesyStatusQuery,
  rescheduleCourtesySignal,
  type CourtesyStatus,
} from '../workflows/courtesy-signals';
import { searchAttributes } from '../workflows/search-attributes';
import { InvalidRequestError, zodProblems } from './invalid-request';
import { listOutreach, type OutreachSummary } from './outreach-summary';
import type { StartResult } from './reminders';

/** What the courtesy functions need: the Temporal client, the task queue and the key secret. */
export interface CourtesyClientDeps {
  temporal: Client;
  taskQueue: string;
  /** Customer keys must match the workers'. */
  customerKeySecret: string;
  /** @default "Recontact" */
  company?: string;
}

function addressOf(contact: Contact, channel: string): string | undefined {
  return channel === 'email' ? (contact.email ?? contact.phone) : (contact.phone ?? contact.email);
}

/**
 * Starts a thank-you, a yearly occasion or a service notice; the same id twice starts it once.
 *
 * @example
 * await startCourtesy(deps, { type: 'yearly', courtesyId: 'order-42-birthday', channel: 'sms',
 *   occasion: "your mother's birthday", month: 6, day: 20,
 *   contact: { phone: '+14155550100', timeZone: 'America/New_York', country: 'US' } });
 */
export async function startCourtesy(
  deps: CourtesyClientDeps,
  input: CourtesyRequestInput,
): Promise<StartResult> {
  const parsed = courtesyRequestSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRequestError(zodProblems(parsed.error.issues));
  const request = parsed.data;
  const contacts = request.type === 'notice' ? request.recipients : [request.contact];
  const channel = request.channel;
  const customerKeys: string[] = [];
  const problems = contacts.flatMap((contact, index) => {
    const address = addressOf(contact, channel);
    if (address === undefined) {
      const field = request.type === 'notice' ? `recipients.${index}` : 'contact';
      return [{ field, rule: 'address', message: `give a phone number or an e-mail address for ${channel}` }];
    }
    customerKeys.push(customerKeyFor(address, deps.customerKeySecret));
    return [];
  });
  if (problems.length > 0) throw new InvalidRequestError(problems);
  const workflowId = courtesyWorkflowId(request);
  try {
    await deps.temporal.workflow.start(courtesyMessage, {
      taskQueue: deps.taskQueue,
      workflowId,
      // A re-sent purchase or notice must not reach anyone twice, even after the first run ended.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // Listed and filterable from the start, before a worker has run the first task.
      typedSearchAttributes: [
        { key: searchAttributes.Kind, value: request.type === 'notice' ? 'notice' : 'courtesy' },
        ...(request.type === 'notice'
          ? []
          : [{ key: searchAttributes.Customer, value: customerKeys[0] ?? '' }]),
        { key: searchAttributes.State, value: 'waiting' },
      ],
      args: [{ request, customerKeys, ...(deps.company ? { company: deps.company } : {}) }],
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}

/** Where a courtesy outreach stands; undefined when there is none. `workflowId` as returned by start. */
export async function courtesyStatus(
  deps: Pick<CourtesyClientDeps, 'temporal'>,
  workflowId: string,
): Promise<CourtesyStatus | undefined> {
  try {
    return await deps.temporal.workflow.getHandle(workflowId).query(courtesyStatusQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Stops a pending thank-you, notice or every later year of an occasion. False when none is running. */
export async function cancelCourtesy(
  deps: Pick<CourtesyClientDeps, 'temporal'>,
  workflowId: string,
  reason?: string,
): Promise<boolean> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return false;
    await handle.signal(cancelCourtesySignal, reason ? { reason } : {});
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Moves a thank-you (`{ at }`) or a yearly occasion (`{ month, day }`); refuses, naming the field,
 * a change that does not fit the outreach (notices cannot move). False when none is running.
 */
export async function rescheduleCourtesy(
  deps: Pick<CourtesyClientDeps, 'temporal'>,
  workflowId: string,
  change: z.input<typeof courtesyRescheduleSchema>,
  now: () => number = Date.now,
): Promise<boolean> {
  const parsed = courtesyRescheduleSchema.safeParse(change);
  if (!parsed.success) throw new InvalidRequestError(zodProblems(parsed.error.issues));
  const status = await courtesyStatus(deps, workflowId);
  if (status === undefined || status.state === 'done') return false;
  const wanted = status.type === 'thank-you' ? 'at' : status.type === 'yearly' ? 'month' : undefined;
  if (wanted === undefined) {
    throw new InvalidRequestError([
      {
        field: 'workflowId',
        rule: 'kind',
        message: 'a notice cannot be rescheduled: cancel it and send another',
      },
    ]);
  }
  if (!(wanted in parsed.data)) {
    const message =
      wanted === 'at' ? 'a thank-you moves with { at }' : 'a yearly occasion moves with { month, day }';
    throw new InvalidRequestError([{ field: wanted, rule: 'required', message }]);
  }
  if ('at' in parsed.data && Date.parse(parsed.data.at) <= now()) {
    throw new InvalidRequestError([
      { field: 'at', rule: 'future', message: `must be in the future; ${parsed.data.at} has passed` },
    ]);
  }
  await deps.temporal.workflow.getHandle(workflowId).signal(rescheduleCourtesySignal, parsed.data);
  return true;
}

export const courtesyListFilterSchema = z.object({
  kind: z.enum(['courtesy', 'notice']).default('courtesy'),
  state: z.enum(['waiting', 'sending', 'done']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Courtesy outreaches (or notices), newest first; a visibility query. */
export async function listCourtesy(
  deps: Pick<CourtesyClientDeps, 'temporal'>,
  filter: z.input<typeof courtesyListFilterSchema> = {},
): Promise<OutreachSummary[]> {
  const parsed = courtesyListFilterSchema.parse(filter);
  const clauses = [`Kind = "${parsed.kind}"`, 'WorkflowType = "courtesyMessage"'];
  if (parsed.state !== undefined) clauses.push(`State = "${parsed.state}"`);
  return listOutreach(deps.temporal, clauses.join(' AND '), parsed.limit);
}
