import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { customerKeyFor } from '../../../domain/customer-key';
import type { SurveyResponseInput } from '../../../domain/rescue';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { eventually } from '../../harness/temporal';

/** Survey rescue on the dev server with the sandbox and the SMTP sink. */
describe('surveyRescue', () => {
  let stack: CallbackStack;
  beforeAll(async () => {
    stack = await startCallbackStack(undefined, {
      config: { RESCUE_SUPERVISOR_EMAIL: 'rescue-desk@example.com' },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const survey = (
    phone: string,
    score: SurveyResponseInput['score'],
    tier?: string,
  ): SurveyResponseInput => ({
    responseId: `R-${randomUUID()}`,
    score,
    comment: 'I waited forty minutes',
    interaction: { id: 'CA77', queue: 'billing', agentId: 'ana' },
    customer: { phone, name: 'Pat <b>Doe</b>', language: 'en', ...(tier ? { tier } : {}) },
  });
  const emails = () => stack.sandbox.outbox.snapshot().emails;

  it('sends an NPS 2 from a gold customer to the rescue desk ahead of ordinary callbacks, alerts the supervisor and records the score', async () => {
    // An ordinary callback already waits for the rescue desk's skill.
    const ordinary = await stack.abandon('+12125550701', { queue: 'rescue' });
    await stack.waitForStatus(ordinary, (status) => status.state === 'waiting-for-agent');

    const response = survey('+12125550702', { type: 'nps', score: 2 }, 'gold');
    const report = await stack.recontact.rescues.reportSurvey(response);
    expect(report.started).toBe(true);
    const result = await stack.recontact.rescues.result(response.responseId);
    expect(result).toMatchObject({ action: 'rescue', outcome: 'rescue-requested', scoreRecorded: true });

    const rescue = await stack.waitForStatus(
      result.callbackWorkflowId ?? '',
      (status) => status.state === 'waiting-for-agent',
    );
    expect(rescue.context).toMatchObject({
      origin: 'rescue',
      skill: 'rescue',
      surveyScore: { type: 'nps', score: 2 },
    });
    const queue = await eventually(async () => {
      const entries = await stack.services.store.listCallbackQueue();
      return entries.some((entry) => entry.workflowId === rescue.workflowId) ? entries : undefined;
    });
    const order = queue.filter((entry) => entry.skill === 'rescue').map((entry) => entry.workflowId);
    expect(order.indexOf(rescue.workflowId)).toBeLessThan(order.indexOf(ordinary));

    const alert = await eventually(async () =>
      emails().find((email) => email.to.includes('rescue-desk@example.com')),
    );
    expect(alert.subject).toContain('NPS 2');
    expect(alert.text).toContain('Handled by: ana');
    expect(alert.text).toContain('I waited forty minutes');
    // The alert went to staff: the customer's contact log (and its caps, e.g. rescue 2 in 30 days)
    // does not count it as a touch of the customer.
    const customerLog = await stack.services.store.recentContacts(
      customerKeyFor('+12125550702', stack.services.customerKeySecret),
      0,
    );
    expect(customerLog.filter((entry) => entry.channel === 'email')).toEqual([]);
    expect((await stack.services.store.agentScores('ana')).map((score) => score.responseId)).toContain(
      response.responseId,
    );
    await stack.recontact.callbacks.cancel({ workflowId: rescue.workflowId }, { by: 'test' });
    await stack.recontact.callbacks.cancel({ workflowId: ordinary }, { by: 'test' });
  });

  it('rescues once when the same survey is reported twice', async () => {
    const response = survey('+12125550703', { type: 'csat', score: 1 });
    const first = await stack.recontact.rescues.reportSurvey(response);
    const second = await stack.recontact.rescues.reportSurvey(response);
    expect([first.started, second.started]).toEqual([true, false]);
    expect(second.workflowId).toBe(first.workflowId);
    const result = await stack.recontact.rescues.result(response.responseId);
    const alerts = emails().filter(
      (email) => email.subject?.includes('CSAT 1') && email.text?.includes(result.callbackWorkflowId ?? '-'),
    );
    expect(alerts).toHaveLength(1);
    await stack.recontact.callbacks.cancel({ workflowId: result.callbackWorkflowId ?? '' }, { by: 'test' });
  });

  it('alerts the supervisor again when an operator resets the run to its start', async () => {
    // A reset run keeps the workflow id: its alert must be its own send, not the first run's.
    const response = survey('+12125550706', { type: 'csat', score: 2 });
    const { workflowId } = await stack.recontact.rescues.reportSurvey(response);
    const result = await stack.recontact.rescues.result(response.responseId);
    const alerts = () =>
      emails().filter(
        (email) =>
          email.subject?.includes('CSAT 2') && email.text?.includes(result.callbackWorkflowId ?? '-'),
      );
    expect(alerts()).toHaveLength(1);

    const handle = stack.temporal.workflow.getHandle(workflowId);
    const { runId } = await handle.describe();
    const firstTask = ((await handle.fetchHistory()).events ?? []).find(
      (event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    );
    const reset = await stack.temporal.workflowService.resetWorkflowExecution({
      namespace: stack.temporal.options.namespace,
      workflowExecution: { workflowId, runId },
      workflowTaskFinishEventId: firstTask?.eventId,
      requestId: randomUUID(),
      reason: 'test: run the rescue again',
    });
    await stack.temporal.workflow.getHandle(workflowId, reset.runId ?? undefined).result();

    const [first, second] = alerts();
    expect(alerts()).toHaveLength(2);
    expect(second?.messageId).not.toBe(first?.messageId);
    await stack.recontact.callbacks.cancel({ workflowId: result.callbackWorkflowId ?? '' }, { by: 'test' });
  });

  it('thanks a promoter by SMS and starts no callback', async () => {
    const phone = '+12125550704';
    const response = survey(phone, { type: 'nps', score: 10 });
    await stack.recontact.rescues.reportSurvey(response);
    const result = await stack.recontact.rescues.result(response.responseId);
    expect(result).toMatchObject({ action: 'thank-you', outcome: 'thanked' });
    const thanks = stack.sandbox.outbox.listMessages().filter((message) => message.to === phone);
    expect(thanks.map((message) => message.body)).toEqual([
      expect.stringContaining('thank you for your kind rating'),
    ]);
  });

  it('refuses a response without a phone or e-mail, naming the field, and starts nothing', async () => {
    const response = { ...survey('+12125550705', { type: 'csat', score: 9 }), customer: { name: 'Nobody' } };
    await expect(stack.recontact.rescues.reportSurvey(response)).rejects.toThrow(
      /customer: a customer needs a phone or an e-mail address/,
    );
    await expect(
      stack.recontact.rescues.reportSurvey({ ...survey('+12125550705', { type: 'csat', score: 9 }) }),
    ).rejects.toThrow(/score: a CSAT score is 1–5/);
  });
});
