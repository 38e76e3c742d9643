import type { Client } from '@temporalio/client';
import { z } from 'zod';
import {
  courtesyRequestSchema,
  courtesyRescheduleSchema,
  courtesyWorkflowId,
  type CourtesyRequestInput,
} from '../domain/courtesy';
import { customerKeyFor } from '../domain/customer-key';
import type { Contact } from '../domain/policy';
import { courtesyMessage } from '../workflows/courtesy-message';
import {
  cancelCourtesySignal,
  courtesyStatusQuery,
  rescheduleCourtesySignal,
  type CourtesyStatus,
} from '../workflows/courtesy-signals';
import { searchAttributes } from '../workflows/search-attributes';
import { InvalidRequestError, parseOrThrow } from './invalid-request';
import { listOutreach, type OutreachSummary } from './outreach-summary';
import { queryIfExists, signalIfRunning, startOnce, type StartResult } from './run-handles';

export interface CourtesyClientOptions {
  temporal: Client;
  taskQueue: string;
  /** Customer keys must match the workers'. */
  customerKeySecret: string;
  /** @default "Recontact" */
  company?: string;
  /** Clock for "is the new time in the future". @default Date.now */
  clock?: () => number;
}

export const courtesyCancelSchema = z.object({ reason: z.string().min(1).max(200).optional() });

export const courtesyListFilterSchema = z.object({
  kind: z.enum(['courtesy', 'notice']).default('courtesy'),
  state: z.enum(['waiting', 'sending', 'done']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type CourtesyListFilter = z.input<typeof courtesyListFilterSchema>;

function addressOf(contact: Contact, channel: string): string | undefined {
  return channel === 'email' ? (contact.email ?? contact.phone) : (contact.phone ?? contact.email);
}

/**
 * Courtesy outreach: thank-yous, yearly occasions and service notices, one `courtesyMessage` run
 * per id, started once. `workflowId`s are the ones `start` returns.
 *
 * @example
 * await recontact.courtesy.start({ type: 'yearly', courtesyId: 'order-42-birthday', channel: 'sms',
 *   occasion: "your mother's birthday", month: 6, day: 20,
 *   contact: { phone: '+14155550100', timeZone: 'America/New_York', country: 'US' } });
 */
export class CourtesyClient {
  constructor(private readonly options: CourtesyClientOptions) {}

  /** Starts a thank-you, a yearly occasion or a service notice; the same id twice starts it once. */
  async start(input: CourtesyRequestInput): Promise<StartResult> {
    const request = parseOrThrow(courtesyRequestSchema, input);
    const contacts = request.type === 'notice' ? request.recipients : [request.contact];
    const channel = request.channel;
    const customerKeys: string[] = [];
    const problems = contacts.flatMap((contact, index) => {
      const address = addressOf(contact, channel);
      if (address === undefined) {
        const field = request.type === 'notice' ? `recipients.${index}` : 'contact';
        return [
          { field, rule: 'address', message: `give a phone number or an e-mail address for ${channel}` },
        ];
      }
      customerKeys.push(customerKeyFor(address, this.options.customerKeySecret));
      return [];
    });
    if (problems.length > 0) throw new InvalidRequestError(problems);
    const company = this.options.company;
    return startOnce(this.options.temporal, courtesyMessage, {
      taskQueue: this.options.taskQueue,
      workflowId: courtesyWorkflowId(request),
      // Listed and filterable from the start, before a worker has run the first task.
      typedSearchAttributes: [
        { key: searchAttributes.Kind, value: request.type === 'notice' ? 'notice' : 'courtesy' },
        ...(request.type === 'notice'
          ? []
          : [{ key: searchAttributes.Customer, value: customerKeys[0] ?? '' }]),
        { key: searchAttributes.State, value: 'waiting' },
      ],
      args: [{ request, customerKeys, ...(company ? { company } : {}) }],
    });
  }

  /** Where a courtesy outreach stands; undefined when there is none. */
  status(workflowId: string): Promise<CourtesyStatus | undefined> {
    return queryIfExists(this.options.temporal, workflowId, courtesyStatusQuery);
  }

  /** Stops a pending thank-you, notice or every later year of an occasion. False when none is running. */
  async cancel(workflowId: string, request: z.input<typeof courtesyCancelSchema> = {}): Promise<boolean> {
    const parsed = parseOrThrow(courtesyCancelSchema, request);
    return signalIfRunning(this.options.temporal, workflowId, (handle) =>
      handle.signal(cancelCourtesySignal, parsed),
    );
  }

  /**
   * Moves a thank-you (`{ at }`) or a yearly occasion (`{ month, day }`); refuses, naming the field,
   * a change that does not fit the outreach (notices cannot move). False when none is running.
   */
  async reschedule(workflowId: string, change: z.input<typeof courtesyRescheduleSchema>): Promise<boolean> {
    const parsed = parseOrThrow(courtesyRescheduleSchema, change);
    const status = await this.status(workflowId);
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
    if (!(wanted in parsed)) {
      const message =
        wanted === 'at' ? 'a thank-you moves with { at }' : 'a yearly occasion moves with { month, day }';
      throw new InvalidRequestError([{ field: wanted, rule: 'required', message }]);
    }
    if ('at' in parsed && Date.parse(parsed.at) <= (this.options.clock ?? Date.now)()) {
      throw new InvalidRequestError([
        { field: 'at', rule: 'future', message: `must be in the future; ${parsed.at} has passed` },
      ]);
    }
    await this.options.temporal.workflow.getHandle(workflowId).signal(rescheduleCourtesySignal, parsed);
    return true;
  }

  /** Courtesy outreaches (or notices), newest first; a visibility query. */
  async list(filter: CourtesyListFilter = {}): Promise<OutreachSummary[]> {
    const parsed = courtesyListFilterSchema.parse(filter);
    const clauses = [`Kind = "${parsed.kind}"`, 'WorkflowType = "courtesyMessage"'];
    if (parsed.state !== undefined) clauses.push(`State = "${parsed.state}"`);
    return listOutreach(this.options.temporal, clauses.join(' AND '), parsed.limit);
  }
}
