import { executeChild, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { decideSurveyAction, type SurveyAction } from '../domain/rescue/classify-survey';
import type { SurveyRescueInput } from '../domain/rescue/survey-rescue-input';
import { deliverMessage } from './deliver-message';
import { showRun } from './run-state';
import { searchAttributes } from './search-attributes';
import { callbackQueue, channelProxies } from './activity-proxies';
import { callbackStarter } from './callback-starter';
import { parseWorkflowInput } from './workflow-input';
import { attemptKeyPrefix } from './attempt-keys';

export type { SurveyRescueInput } from '../domain/rescue/survey-rescue-input';

export type RescueOutcome = 'rescue-requested' | 'thanked' | 'thank-you-not-sent' | 'no-action' | 'no-phone';

export interface SurveyRescueResult {
  action: SurveyAction['action'];
  outcome: RescueOutcome;
  reason: string;
  callbackWorkflowId?: string;
  scoreRecorded: boolean;
}

/**
 * One survey answer (one run per response id: the same survey reported twice rescues once). A
 * detractor is called back by the rescue desk — through the customer's callback run, joining one
 * already pending — and a supervisor is alerted by e-mail; a promoter is thanked (a courtesy message,
 * policy-checked and capped); the score is recorded against the agent who handled the interaction.
 */
export async function surveyRescue(rawInput: SurveyRescueInput): Promise<SurveyRescueResult> {
  const input = await parseWorkflowInput('surveyRescue', rawInput);
  const { workflowId, taskQueue } = workflowInfo();
  const { email } = channelProxies(taskQueue);

  const { response } = input;
  const scoreText = `${response.score.type.toUpperCase()} ${response.score.score}`;

  upsertSearchAttributes([
    { key: searchAttributes.Kind, value: 'rescue' },
    { key: searchAttributes.Customer, value: input.customerKey },
    { key: searchAttributes.Queue, value: response.interaction.queue },
    { key: searchAttributes.State, value: 'deciding' },
    ...(response.interaction.agentId !== undefined
      ? [{ key: searchAttributes.AgentId, value: response.interaction.agentId }]
      : []),
  ]);

  const finish = (
    action: SurveyAction,
    outcome: RescueOutcome,
    scoreRecorded: boolean,
  ): SurveyRescueResult => {
    // No number, name or comment in the memo.
    showRun(
      [
        { key: searchAttributes.State, value: 'done' },
        { key: searchAttributes.Outcome, value: outcome },
      ],
      `survey ${scoreText} (${response.interaction.queue}): ${outcome}`,
    );
    return {
      action: action.action,
      outcome,
      reason: action.reason,
      scoreRecorded,
      ...(outcome === 'rescue-requested' ? { callbackWorkflowId: input.callbackWorkflowId } : {}),
    };
  };

  const decision = decideSurveyAction(response, input.rules);
  const agentId = response.interaction.agentId;
  const scoreRecorded =
    agentId !== undefined &&
    (await callbackQueue.recordAgentScore({
      responseId: response.responseId,
      agentId,
      type: response.score.type,
      score: response.score.score,
      at: Date.parse(response.answeredAt ?? new Date().toISOString()),
    }));

  if (decision.action === 'none') return finish(decision, 'no-action', scoreRecorded);

  if (decision.action === 'rescue') {
    if (input.phone === undefined || input.callback === undefined)
      return finish(decision, 'no-phone', scoreRecorded);
    await callbackStarter.startOrJoinCallback({
      workflowId: input.callbackWorkflowId,
      request: input.callback,
    });
    if (input.supervisorEmail !== undefined) {
      await email.sendEmail({
        attemptKey: `${attemptKeyPrefix()}/alert`,
        workflowId,
        to: input.supervisorEmail,
        customerKey: input.customerKey,
        purpose: 'rescue',
        category: 'service',
        // The supervisor is told, not the customer: no touch of the customer's to count.
        toStaff: true,
        content: {
          template: 'email.rescue.alert',
          locale: 'en',
          variables: {
            score: scoreText,
            queue: response.interaction.queue,
            agent: agentId ?? 'unknown',
            customer: response.customer.name ?? response.customer.customerId ?? 'unnamed customer',
            comment: response.comment ?? '(none)',
            callback: input.callbackWorkflowId,
          },
        },
      });
    }
    return finish(decision, 'rescue-requested', scoreRecorded);
  }

  // A promoter: thanked once, as a courtesy contact the policy checks and caps.
  const channel = input.phone !== undefined ? 'sms' : 'email';
  const thanked = await executeChild(deliverMessage, {
    workflowId: `${workflowId}/thanks`,
    args: [
      {
        channel,
        contact: {
          ...(input.phone !== undefined ? { phone: input.phone } : {}),
          ...(response.customer.email !== undefined ? { email: response.customer.email } : {}),
          ...(response.customer.timeZone !== undefined ? { timeZone: response.customer.timeZone } : {}),
          ...(input.country !== undefined ? { country: input.country } : {}),
          candidateTimeZones: [],
        },
        customerKey: input.customerKey,
        template: channel === 'sms' ? 'sms.survey.thanks' : 'email.survey.thanks',
        locale: response.customer.language ?? 'en',
        purpose: 'courtesy',
        // A thank-you that arrives days later is noise.
        notAfter: new Date(Date.now() + 2 * 24 * 3_600_000).toISOString(),
      },
    ],
  });
  const sent = thanked.outcome === 'delivered' || thanked.outcome === 'sent';
  return finish(decision, sent ? 'thanked' : 'thank-you-not-sent', scoreRecorded);
}
