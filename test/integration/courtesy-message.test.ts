import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { CourtesyClient } from '../../client/courtesy';
import { courtesyMessage } from '../../workflows/courtesy-message';
import {
  cancelCourtesySignal,
  courtesyStatusQuery,
  type CourtesyStatus,
} from '../../workflows/courtesy-signals';
import type { ApiError } from '../../api/errors';
import { startChannelStack, type ChannelStack } from '../harness/channels';
import { createTimeSkippingEnv, eventually } from '../harness/temporal';

// Time-skipping server plus the real channel stack; US SMS allowed around the clock (the policy's
// own tests cover windows), so each outreach goes out at its planned instant.
describe('courtesyMessage (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let stack: ChannelStack;
  let courtesy: CourtesyClient;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    stack = await startChannelStack(
      { TEMPORAL_NAMESPACE: env.namespace ?? 'default' },
      { client: env.client, nativeConnection: env.nativeConnection, namespace: env.namespace ?? 'default' },
    );
    courtesy = new CourtesyClient({
      temporal: env.client,
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      customerKeySecret: stack.services.customerKeySecret,
      company: 'Flores Ana',
    });
  }, 120_000);
  afterEach(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  let phoneSeq = 300;
  const contact = () => ({
    phone: `+1415555${String(phoneSeq++).padStart(4, '0')}`,
    timeZone: 'America/New_York',
    country: 'US',
  });
  const smsTo = (phone: string) =>
    stack.sandbox.outbox
      .listMessages()
      .filter((message) => message.to === phone && message.direction === 'outbound-api')
      .reverse();
  const advanceTo = async (iso: string) => {
    const by = Date.parse(iso) - (await env.currentTimeMs());
    if (by > 0) await env.sleep(by);
  };

  it('reaches out exactly once a year, two weeks before the date, for three years; cancelling stops the next one', async () => {
    const customer = contact();
    const { workflowId } = await courtesy.start({
      type: 'yearly',
      courtesyId: `order-${randomUUID()}-birthday`,
      contact: customer,
      channel: 'sms',
      occasion: "your mother's birthday",
      month: 6,
      day: 20,
    });
    const handle = env.client.workflow.getHandle<typeof courtesyMessage>(workflowId);
    await advanceTo('2029-06-07T00:00:00Z');
    const status = await eventually(async () => {
      const current = await handle.query(courtesyStatusQuery);
      return current.outreaches.length === 3 && current.state === 'waiting' ? current : undefined;
    });

    // 6 June, 10:00 New York time (EDT), each year.
    expect(status.outreaches.map((outreach) => [outreach.occasionDate, outreach.at.slice(0, 16)])).toEqual([
      ['2027-06-20', '2027-06-06T14:00'],
      ['2028-06-20', '2028-06-06T14:00'],
      ['2029-06-20', '2029-06-06T14:00'],
    ]);
    expect(status.nextAt).toBe('2030-06-06T14:00:00.000Z');
    const texts = smsTo(customer.phone).map((message) => message.body);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain("your mother's birthday is coming up on June 20");

    await handle.signal(cancelCourtesySignal, { reason: 'customer asked' });
    const result = await handle.result();
    expect(result.cancelled).toBe('customer asked');
    await advanceTo('2030-07-01T00:00:00Z');
    expect(smsTo(customer.phone)).toHaveLength(3);
  });

  it('thanks a customer after the delay, and not at all when cancelled first', async () => {
    const thanked = contact();
    const cancelled = contact();
    const first = await courtesy.start({
      type: 'thank-you',
      courtesyId: `order-${randomUUID()}`,
      contact: thanked,
      channel: 'sms',
      delayHours: 48,
    });
    const second = await courtesy.start({
      type: 'thank-you',
      courtesyId: `order-${randomUUID()}`,
      contact: cancelled,
      channel: 'sms',
    });
    await env.client.workflow.getHandle(second.workflowId).signal(cancelCourtesySignal, {});
    const result = await env.client.workflow.getHandle<typeof courtesyMessage>(first.workflowId).result();
    expect(result.outreaches).toHaveLength(1);
    expect(smsTo(thanked.phone)[0]?.body).toContain('thank you for your purchase');
    expect(
      (await env.client.workflow.getHandle<typeof courtesyMessage>(second.workflowId).result()).cancelled,
    ).toBe('cancelled');
    expect(smsTo(cancelled.phone)).toHaveLength(0);
  });

  it('sends a service notice once to each customer on the list, even when listed twice', async () => {
    const a = contact();
    const b = contact();
    const started = await courtesy.start({
      type: 'notice',
      courtesyId: `maintenance-${randomUUID()}`,
      channel: 'sms',
      message: 'our phone lines are closed on Sunday for maintenance.',
      recipients: [a, b, a],
    });
    expect(started.workflowId).toMatch(/^notice-maintenance-/);
    const result = await env.client.workflow.getHandle<typeof courtesyMessage>(started.workflowId).result();
    expect(Object.values(result.outreaches[0]?.outcomes ?? {}).reduce((sum, n) => sum + n, 0)).toBe(2);
    expect(smsTo(a.phone)).toHaveLength(1);
    expect(smsTo(b.phone)[0]?.body).toContain('closed on Sunday');
    expect(
      await courtesy.start({
        type: 'notice',
        courtesyId: started.workflowId.replace(/^notice-/, ''),
        channel: 'sms',
        message: 'again',
        recipients: [a],
      }),
    ).toEqual({ workflowId: started.workflowId, started: false });
  });
  it('serves start, status, cancel over HTTP, refusing bad input with field and rule and starting nothing', async () => {
    const api = (path: string, method = 'GET', body?: unknown) =>
      fetch(`${stack.services.publicUrl}/v1${path}`, {
        method,
        headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const courtesyId = `order-${randomUUID()}`;
    const request = {
      type: 'yearly',
      courtesyId,
      contact: contact(),
      channel: 'sms',
      occasion: 'your anniversary',
      month: 4,
      day: 31,
    };
    const bad = await api('/courtesy', 'POST', request);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.problems?.[0]).toMatchObject({ field: 'body.day' });
    expect((await api(`/courtesy/courtesy-${courtesyId}`)).status).toBe(404);

    const created = await api('/courtesy', 'POST', { ...request, day: 30 });
    expect(created.status).toBe(201);
    const status = await eventually(async () => {
      const body = (await (await api(`/courtesy/courtesy-${courtesyId}`)).json()) as CourtesyStatus;
      return body.nextAt === undefined ? undefined : body;
    });
    expect(status).toMatchObject({ type: 'yearly', state: 'waiting', nextAt: '2027-04-16T14:00:00.000Z' });
    expect((await api(`/courtesy/courtesy-${courtesyId}/cancel`, 'POST', {})).status).toBe(202);
    const result = await env.client.workflow
      .getHandle<typeof courtesyMessage>(`courtesy-${courtesyId}`)
      .result();
    expect(result.cancelled).toBe('cancelled');
  });
  it('moves a yearly occasion to its new date from the next outreach on, and a thank-you to its new time', async () => {
    const customer = contact();
    const yearly = await courtesy.start({
      type: 'yearly',
      courtesyId: `order-${randomUUID()}-anniversary`,
      contact: customer,
      channel: 'sms',
      occasion: 'your anniversary',
      month: 6,
      day: 20,
    });
    await advanceTo('2027-06-07T00:00:00Z');
    const handle = env.client.workflow.getHandle<typeof courtesyMessage>(yearly.workflowId);
    await eventually(async () => {
      const current = await handle.query(courtesyStatusQuery);
      return current.outreaches.length === 1 && current.state === 'waiting' ? true : undefined;
    });
    await expect(courtesy.reschedule(yearly.workflowId, { at: '2027-07-01T00:00:00Z' })).rejects.toThrow(
      'month: a yearly occasion moves with { month, day }',
    );
    const firstRun = (await handle.describe()).runId;
    expect(await courtesy.reschedule(yearly.workflowId, { month: 9, day: 1 })).toBe(true);
    // The move continues as new; query the new run once it exists.
    await eventually(async () => ((await handle.describe()).runId !== firstRun ? true : undefined));
    const moved = await eventually(async () => {
      const current = await handle.query(courtesyStatusQuery);
      return current.nextAt === '2027-08-18T14:00:00.000Z' ? current : undefined;
    });
    expect(moved.outreaches).toHaveLength(1);
    await advanceTo('2027-08-19T00:00:00Z');
    const after = await eventually(async () => {
      const current = await handle.query(courtesyStatusQuery);
      return current.outreaches.length === 2 && current.state === 'waiting' ? current : undefined;
    });
    expect(after.outreaches.map((outreach) => [outreach.occasionDate, outreach.at.slice(0, 16)])).toEqual([
      ['2027-06-20', '2027-06-06T14:00'],
      ['2027-09-01', '2027-08-18T14:00'],
    ]);
    expect(smsTo(customer.phone)[1]?.body).toContain('September 1');
    await handle.signal(cancelCourtesySignal, {});

    const thanked = contact();
    const thanks = await courtesy.start({
      type: 'thank-you',
      courtesyId: `order-${randomUUID()}`,
      contact: thanked,
      channel: 'sms',
    });
    const sendAt = new Date((await env.currentTimeMs()) + 7 * 86_400_000).toISOString();
    expect(await courtesy.reschedule(thanks.workflowId, { at: sendAt })).toBe(true);
    const result = await env.client.workflow.getHandle<typeof courtesyMessage>(thanks.workflowId).result();
    expect(Date.parse(result.outreaches[0]?.at ?? '') - Date.parse(sendAt)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(result.outreaches[0]?.at ?? '') - Date.parse(sendAt)).toBeLessThan(60 * 60_000);
  });
});
