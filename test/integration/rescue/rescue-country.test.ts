import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SurveyResponseInput } from '../../../domain/rescue';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { callbackPolicyFile } from '../../harness/policy-files';

/**
 * Country travels with a rescue. In these rules every country is open around the clock except Spain,
 * which allows no contact at all: a run that applies Spain's rules to a Spanish customer sends and
 * dials nothing; one that dropped the country would apply the open `otherCountries` and go ahead.
 */
describe('surveyRescue carries the customer’s country into every contact', () => {
  let stack: CallbackStack;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'recontact-rescue-country-'));
    const rules = JSON.parse(readFileSync(callbackPolicyFile(dir, 'round-the-clock'), 'utf8')) as {
      countries: Record<string, { windows: unknown[]; overrides: { windows: unknown[] }[] }>;
    };
    const spain = rules.countries.ES;
    if (spain === undefined) throw new Error('the shipped rules have no ES entry');
    spain.windows = [];
    for (const override of spain.overrides) override.windows = [];
    const file = path.join(dir, 'spain-closed.json');
    writeFileSync(file, JSON.stringify(rules));
    stack = await startCallbackStack(undefined, { config: { CONTACT_POLICY_FILE: file } });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const survey = (phone: string, score: number): SurveyResponseInput => ({
    responseId: `R-${randomUUID()}`,
    score: { type: 'nps', score },
    interaction: { id: 'CA78', queue: 'billing' },
    customer: { phone, language: 'es', timeZone: 'Europe/Madrid' },
  });

  it('applies Spain’s rules to a Spanish promoter’s thank-you: nothing is sent', async () => {
    const phone = '+34911234501';
    const response = survey(phone, 10);
    await stack.recontact.rescues.reportSurvey(response);
    const result = await stack.recontact.rescues.result(response.responseId);
    expect(result).toMatchObject({ action: 'thank-you', outcome: 'thank-you-not-sent' });
    expect(stack.smsTo(phone)).toHaveLength(0);
  });

  it('applies Spain’s rules to a Spanish detractor’s rescue call: it is never dialled', async () => {
    const phone = '+34911234502';
    const response = survey(phone, 1);
    await stack.recontact.rescues.reportSurvey(response);
    const result = await stack.recontact.rescues.result(response.responseId);
    expect(result).toMatchObject({ action: 'rescue', outcome: 'rescue-requested' });
    const done = await stack.waitForStatus(
      result.callbackWorkflowId ?? '',
      (status) => status.state === 'done',
    );
    expect(done.outcome).toBe('not-allowed');
    expect(done.detail).toContain('ES');
    expect(stack.callsFor(phone)).toHaveLength(0);
  });
});
