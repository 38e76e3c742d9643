import type { Client } from '@temporalio/client';
import { customerKeyFor } from '../domain/customer-key';
import type { CallbackRequest } from '../domain/callbacks';
import { normalisePhoneNumber } from '../domain/phone-number';
import {
  defaultRescueRules,
  surveyResponseSchema,
  type RescueRules,
  type SurveyResponseInput,
} from '../domain/rescue';
import { surveyRescue, type SurveyRescueResult } from '../workflows/survey-rescue';
import type { CallbackClient } from './callbacks';
import { InvalidRequestError, parseOrThrow } from './invalid-request';
import { startOnce, type StartResult } from './run-handles';

export interface RescueClientOptions {
  temporal: Client;
  taskQueue: string;
  customerKeySecret: string;
  /** Computes the customer's callback id, so a rescue joins a pending callback. */
  callbacks: CallbackClient;
  /** @default the shipped rules: every detractor is rescued, promoters are thanked */
  rules?: RescueRules;
  /** Who is alerted about each rescue (RESCUE_SUPERVISOR_EMAIL). */
  supervisorEmail?: string;
  clock?: () => number;
}

/** `started` is false when this response had been reported before: nothing new was started. */
export type SurveyReport = StartResult;

/** Survey answers: one `surveyRescue` run per response id. */
export class RescueClient {
  constructor(private readonly options: RescueClientOptions) {}

  /** The run of a survey response: `rescue-<response id>` (the id is the survey tool's, not personal data). */
  workflowIdFor(responseId: string): string {
    return `rescue-${responseId}`;
  }

  /**
   * Reports a survey answer. The same response reported twice starts one run: the second call
   * answers `started: false`.
   */
  async reportSurvey(input: SurveyResponseInput): Promise<SurveyReport> {
    const response = parseOrThrow(surveyResponseSchema, input);
    const now = (this.options.clock ?? Date.now)();
    let phone: string | undefined;
    let numberCountry: string | undefined;
    if (response.customer.phone !== undefined) {
      const number = normalisePhoneNumber(response.customer.phone, response.customer.defaultCountry);
      phone = number?.e164;
      numberCountry = number?.country;
      if (phone === undefined) {
        throw new InvalidRequestError([
          { field: 'customer.phone', rule: 'phone-number', message: 'not a valid phone number' },
        ]);
      }
    }
    const address = phone ?? response.customer.email?.toLowerCase() ?? '';
    // The country's rules (holidays, marketing hours) apply to the rescue call and the thank-you alike.
    const country = response.customer.country ?? numberCountry;
    const customerKey = customerKeyFor(address, this.options.customerKeySecret);
    const rules = this.options.rules ?? defaultRescueRules;
    const callbackWorkflowId =
      phone !== undefined ? this.options.callbacks.workflowIdFor(phone, {}) : `callback-${customerKey}`;
    const callback: CallbackRequest | undefined =
      phone === undefined
        ? undefined
        : {
            origin: 'rescue',
            requestId: `survey-${response.responseId}`,
            customerKey,
            phone,
            ...(response.customer.name !== undefined ? { customerName: response.customer.name } : {}),
            ...(response.customer.customerId !== undefined
              ? { customerId: response.customer.customerId }
              : {}),
            ...(response.customer.timeZone !== undefined ? { timeZone: response.customer.timeZone } : {}),
            ...(country !== undefined ? { country } : {}),
            ...(response.customer.language !== undefined ? { language: response.customer.language } : {}),
            ...(response.customer.tier !== undefined ? { tier: response.customer.tier } : {}),
            queue: response.interaction.queue,
            skill: rules.skill,
            reason:
              `${response.score.type.toUpperCase()} ${response.score.score} after ${response.interaction.queue}${response.comment ? `: ${response.comment}` : ''}`.slice(
                0,
                500,
              ),
            waitedSeconds: 0,
            requestedAt: new Date(now).toISOString(),
            ttlHours: rules.callbackTtlHours,
            priorityPoints: 0,
            surveyScore: response.score,
            abandonCount: 1,
          };
    // The same response never rescues twice, not even after the first run ended.
    return startOnce(this.options.temporal, surveyRescue, {
      workflowId: this.workflowIdFor(response.responseId),
      taskQueue: this.options.taskQueue,
      args: [
        {
          response,
          rules,
          customerKey,
          ...(phone !== undefined ? { phone } : {}),
          ...(country !== undefined ? { country } : {}),
          callbackWorkflowId,
          ...(callback !== undefined ? { callback } : {}),
          ...(this.options.supervisorEmail !== undefined
            ? { supervisorEmail: this.options.supervisorEmail }
            : {}),
        },
      ],
    });
  }

  /** The run's result once it has finished. */
  result(responseId: string): Promise<SurveyRescueResult> {
    return this.options.temporal.workflow.getHandle(this.workflowIdFor(responseId)).result();
  }
}
