import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../api/server';
import { startCallbackStack, type CallbackStack } from '../harness/callbacks';
import { parsePrometheusText, sampleValue, type PrometheusScrape } from '../harness/prometheus-text';
import { createTimeSkippingEnv } from '../harness/temporal';

/** `/metrics` on the API, fed by the worker's activities in the same process, as `recontact start` runs them. */
describe('/metrics', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  let app: FastifyInstance;
  let base: string;
  const skill = 'metrics-sales';

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    stack = await startCallbackStack(env);
    for (const agent of ['ana', 'ben', 'cat'] as const) await stack.setAgent(agent, 'offline', [skill]);
    app = await buildApiServer({
      client: stack.recontact,
      tokens: ['metrics-test-token'],
      metrics: stack.services.metrics.registry,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    base = `http://127.0.0.1:${address.port}`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    await env?.teardown();
  });

  const scrape = async (): Promise<PrometheusScrape> => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    return parsePrometheusText(await response.text());
  };

  it('serves every domain family in the text format, without a token', async () => {
    const { types } = await scrape();
    expect(Object.fromEntries([...types].filter(([name]) => name.startsWith('recontact_')))).toEqual({
      recontact_abandons_total: 'counter',
      recontact_callbacks_total: 'counter',
      recontact_sends_total: 'counter',
      recontact_policy_deferrals_total: 'counter',
      recontact_abandon_to_conversation_minutes: 'histogram',
      recontact_offers_total: 'counter',
      recontact_claims_total: 'counter',
      recontact_offer_latency_seconds: 'histogram',
      recontact_claim_to_call_seconds: 'histogram',
      recontact_pending_runs: 'gauge',
    });
  });

  it('moves the counters as abandons are decided, callbacks end and messages and calls go out', async () => {
    const before = await scrape();

    const ignored = await stack.abandon('+12125559401', { queue: skill, waitedSeconds: 4 });
    await stack.waitForStatus(ignored, (status) => status.state === 'done');

    const served = await stack.abandon('+12125559402', { queue: skill });
    await stack.waitForStatus(served, (status) => status.state === 'waiting-for-agent');
    await stack.setAgent('ana', 'available', [skill]);
    await stack.waitForStatus(served, (status) => status.offer?.agentId === 'ana');
    await stack.recontact.callbacks.answerOffer({ workflowId: served }, { agentId: 'ana', answer: 'accept' });
    await stack.waitForStatus(served, (status) => status.state === 'on-call');
    await stack.recontact.callbacks.recordDisposition(
      { workflowId: served },
      { agentId: 'ana', disposition: 'resolved' },
    );
    const done = await stack.waitForStatus(served, (status) => status.state === 'done');
    const acknowledgements = done.timeline.filter((entry) => entry.step === 'acknowledged').length;

    expect(acknowledgements).toBe(1);
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(moved('recontact_abandons_total', { decision: 'ignore', reason: 'short-abandon' })).toBe(1);
    expect(moved('recontact_abandons_total', { decision: 'callback' })).toBe(1);
    expect(moved('recontact_callbacks_total', { outcome: 'ignored', origin: 'abandon' })).toBe(1);
    expect(moved('recontact_callbacks_total', { outcome: 'connected', origin: 'abandon' })).toBe(1);
    expect(moved('recontact_sends_total', { channel: 'voice', outcome: 'sent' })).toBe(1);
    expect(moved('recontact_sends_total', { channel: 'sms', outcome: 'sent' })).toBe(acknowledgements);
    expect(moved('recontact_abandon_to_conversation_minutes_count', {})).toBe(1);
    // One offer (to ana), her claim, and the call placed after it.
    expect(moved('recontact_offers_total', {})).toBe(1);
    expect(moved('recontact_offer_latency_seconds_count', {})).toBe(1);
    expect(moved('recontact_claims_total', {})).toBe(1);
    expect(moved('recontact_claim_to_call_seconds_count', {})).toBe(1);
  }, 120_000);
});
