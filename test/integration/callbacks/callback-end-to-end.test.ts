import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../runtime/project-paths';
import { sharedServerAddress } from '../../harness/temporal';
import { TEST_NAMESPACE } from '../../harness/test-env';
import type { CallbackStatus, StopResult } from '../../../workflows/callback-messages';
import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { eventually } from '../../harness/temporal';

/** The whole flow on the dev server with the sandbox, driven over HTTP as an ACD and an agent desk would. */
describe('callbacks end to end on the dev server', () => {
  let stack: CallbackStack;
  beforeAll(async () => {
    stack = await startCallbackStack(undefined);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const http = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${stack.config.PUBLIC_URL}${url}`, {
      method,
      headers: {
        authorization: 'Bearer test-token',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  const status = async (workflowId: string) =>
    (await http('GET', `/v1/callbacks/${workflowId}`)).body as CallbackStatus;
  /** An abandon of 95 s from `phone` right now, through the webhook. */
  const abandonNow = (phone: string, fields: Record<string, unknown>) =>
    http('POST', '/v1/callbacks/abandoned', {
      callId: `CA${randomUUID().replace(/-/g, '')}`,
      from: phone,
      waitedSeconds: 95,
      abandonedAt: new Date().toISOString(),
      ...fields,
    });
  /** The callback's status once it is in `state`. */
  const reaches = (workflowId: string, state: CallbackStatus['state'], timeoutMs?: number) =>
    eventually(async () => {
      const current = await status(workflowId);
      return current.state === state ? current : undefined;
    }, timeoutMs);

  it('abandon webhook → SMS ack → due → agent available → claim → agent-first call → connected → disposition → done', async () => {
    const phone = '+12125550911';
    await stack.services.store.upsertAgent({
      id: 'dana',
      name: 'Dana',
      address: '+14155550126',
      skills: ['sales'],
      languages: ['en'],
      presence: 'offline',
      at: Date.now(),
    });
    const started = await abandonNow(phone, {
      queue: 'Sales',
      ivrInput: 'billing question',
      language: 'en',
      tier: 'gold',
    });
    expect(started.status).toBe(202);
    const { workflowId } = started.body as { workflowId: string };
    expect(workflowId).toMatch(/^callback-/);
    expect(workflowId).not.toContain('2125550911');

    const ack = await eventually(async () =>
      stack.sandbox.outbox.listMessages().find((message) => message.to === phone),
    );
    expect(ack.body).toContain('We will call you back within about');
    await reaches(workflowId, 'waiting-for-agent');

    // Nobody is available: nothing is dialled. Dana goes available → offered within seconds.
    expect(stack.agentCalls()).toHaveLength(0);
    const presence = await http('PUT', '/v1/agents/dana/presence', { presence: 'available' });
    expect(presence.status).toBe(200);
    const offered = await reaches(workflowId, 'offered');
    expect(offered.offer?.agentId).toBe('dana');
    expect(offered.context).toMatchObject({
      reason: 'billing question',
      queue: 'Sales',
      skill: 'sales',
      tier: 'gold',
    });

    const claimed = await http('POST', `/v1/callbacks/${workflowId}/claim`, { agentId: 'dana' });
    expect(claimed.status).toBe(200);
    const onCall = await eventually(async () => {
      const current = await status(workflowId);
      return current.state === 'on-call' ? current : undefined;
    });
    expect(onCall.agent?.agentId).toBe('dana');
    await stack.sandbox.idle();
    const [agentCall] = stack.sandbox.outbox.listCalls().filter((call) => call.to === '+14155550126');
    expect(agentCall?.legs[0]?.to).toBe(phone);
    const agentAnswered = agentCall?.events.find((event) => event.status === 'in-progress')?.at ?? Infinity;
    expect(agentCall?.legs[0]?.dateCreated).toBeGreaterThanOrEqual(agentAnswered);

    const disposition = await http('POST', `/v1/callbacks/${workflowId}/disposition`, {
      agentId: 'dana',
      disposition: 'resolved',
      notes: 'explained the invoice',
    });
    expect(disposition.status).toBe(200);
    const done = await eventually(async () => {
      const current = await status(workflowId);
      return current.state === 'done' ? current : undefined;
    });
    expect(done.outcome).toBe('connected');
    expect(done.timeline.map((entry) => entry.step)).toEqual(
      expect.arrayContaining([
        'decided',
        'acknowledged',
        'due',
        'offered',
        'claimed',
        'dialling',
        'connected',
        'disposition',
      ]),
    );

    // What the Temporal UI shows: search attributes on the closed run.
    const listed = await eventually(async () => {
      const { body } = await http('GET', `/v1/callbacks?open=false&agentId=dana`);
      return (
        body as { callbacks: { workflowId: string; state?: string; outcome?: string }[] }
      ).callbacks.find((item) => item.workflowId === workflowId && item.state === 'done');
    });
    expect(listed).toMatchObject({ outcome: 'connected', attempts: 1, skill: 'sales' });
    const description = await stack.temporal.workflow.getHandle(workflowId).describe();
    expect(description.memo?.summary).toContain('connected');
    expect(JSON.stringify(description.memo)).not.toContain('2125550911');
    await http('PUT', '/v1/agents/dana/presence', { presence: 'offline' });
  });

  it('offers a waiting callback at once to an agent created available through POST /v1/agents', async () => {
    const phone = '+12125550913';
    const started = await abandonNow(phone, { queue: 'Support' });
    expect(started.status).toBe(202);
    const { workflowId } = started.body as { workflowId: string };
    const waiting = await reaches(workflowId, 'waiting-for-agent');
    const created = await http('POST', '/v1/agents', {
      id: 'erin',
      name: 'Erin',
      address: '+14155550127',
      skills: [waiting.context.skill],
      languages: ['en'],
      presence: 'available',
    });
    expect(created.status).toBe(200);
    // Within seconds, not at the run's next periodic check (two minutes): the store holds erin for
    // this callback's offer, and the run says so too.
    await eventually(async () => {
      const holds = await stack.services.store.listAgentHolds();
      return holds.some(
        (hold) => hold.agentId === 'erin' && hold.workflowId === workflowId && hold.kind === 'offer',
      )
        ? true
        : undefined;
    }, 10_000);
    const offered = await reaches(workflowId, 'offered');
    expect(offered.offer?.agentId).toBe('erin');
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
    await http('PUT', '/v1/agents/erin/presence', { presence: 'offline' });
    // The next test counts the listed (open) callbacks: this one has left the list before it starts.
    await eventually(async () => {
      const listed = (await http('GET', '/v1/callbacks?limit=1000')).body as {
        callbacks: { workflowId: string }[];
      };
      return listed.callbacks.every((entry) => entry.workflowId !== workflowId) ? true : undefined;
    });
  });

  it('refuses a bad abandon with a 400 naming the field and the rule, and starts nothing', async () => {
    const before = (await http('GET', '/v1/callbacks?limit=1000')).body as { callbacks: unknown[] };
    const refused = await http('POST', '/v1/callbacks/abandoned', {
      callId: 'CA1',
      from: '+12125550912',
      queue: 'sales',
      waitedSeconds: -3,
      abandonedAt: '2026-11-23 10:00',
    });
    expect(refused.status).toBe(400);
    const problems = (refused.body as { error: { problems: { field: string }[] } }).error.problems;
    expect(problems.map((problem) => problem.field)).toEqual(
      expect.arrayContaining(['body.waitedSeconds', 'body.abandonedAt']),
    );
    const after = (await http('GET', '/v1/callbacks?limit=1000')).body as { callbacks: unknown[] };
    expect(after.callbacks).toHaveLength(before.callbacks.length);
  });

  it('never dials after an acknowledged cancel, with the cancel racing the claim at random delays', async () => {
    // Each round: a due callback, an agent claims it, and a cancel follows after a random 0–40 ms.
    // Whatever the order, a cancel answered `dialStarted: false` must mean no call to that customer.
    const rounds = 60;
    const agents = Array.from({ length: rounds }, (_, index) => `racer-${index}`);
    for (const [index, id] of agents.entries()) {
      await stack.services.store.upsertAgent({
        id,
        name: id,
        address: `+1415555${String(2000 + index).padStart(4, '0')}`,
        skills: ['race'],
        languages: ['en'],
        presence: 'busy',
        at: Date.now(),
      });
    }
    const round = async (agentId: string, index: number) => {
      const phone = `+1212555${String(3000 + index).padStart(4, '0')}`;
      const workflowId = await stack.abandon(phone, { queue: 'race' });
      await eventually(
        async () => ((await stack.status(workflowId)).state === 'waiting-for-agent' ? true : undefined),
        30_000,
      );
      const claim = http('POST', `/v1/callbacks/${workflowId}/claim`, { agentId });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      const cancel = await http('POST', `/v1/callbacks/${workflowId}/cancel`, {
        by: 'race',
        reason: 'race',
      });
      await claim;
      return { phone, workflowId, cancel: cancel.body as StopResult };
    };
    // Ten rounds at a time: the race is inside each round, and a loaded machine still keeps up.
    const results: Awaited<ReturnType<typeof round>>[] = [];
    for (let start = 0; start < rounds; start += 10) {
      results.push(
        ...(await Promise.all(
          agents.slice(start, start + 10).map((agentId, offset) => round(agentId, start + offset)),
        )),
      );
    }
    await eventually(async () => {
      const states = await Promise.all(results.map(({ workflowId }) => stack.status(workflowId)));
      return states.every((current) => current.state === 'done' || current.state === 'on-call')
        ? true
        : undefined;
    }, 60_000);
    await stack.sandbox.idle();
    const undialled = results.filter((result) => result.cancel.stopped && !result.cancel.dialStarted);
    for (const { phone } of undialled) {
      expect(
        stack.sandbox.outbox
          .listCalls()
          .flatMap((call) => call.legs)
          .filter((leg) => leg.to === phone),
      ).toEqual([]);
    }
    // Both orders happened, so the test saw the race from both sides.
    expect(undialled.length).toBeGreaterThan(0);
  }, 120_000);

  it('works from the command line: bad input exits 2 naming the field, a good abandon starts the callback', async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', path.join(projectRoot(), 'cli', 'main.ts'), 'callback', ...args],
        {
          cwd: projectRoot(),
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            TEMPORAL_ADDRESS: sharedServerAddress(),
            TEMPORAL_NAMESPACE: TEST_NAMESPACE,
            TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
            DATA_DIR: stack.config.DATA_DIR,
            PAYLOAD_KEYS: stack.config.PAYLOAD_KEYS ?? '',
            CONTACT_POLICY_FILE: stack.config.CONTACT_POLICY_FILE ?? '',
          },
        },
      ).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const bad = await cli('abandon', '--from', '+12125550950', '--queue', 'sales', '--waited', '-5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('waitedSeconds');
    const good = await cli('abandon', '--from', '+12125550950', '--queue', 'sales', '--waited', '40');
    expect(good.code).toBe(0);
    const workflowId = good.stdout.trim();
    expect(workflowId).toMatch(/^callback-/);
    await eventually(async () =>
      (await stack.status(workflowId)).state === 'waiting-for-agent' ? true : undefined,
    );
    const status = await cli('status', '+12125550950');
    expect(status.stdout).toContain(`${workflowId}: waiting-for-agent`);
    const unknownAgent = await cli('claim', workflowId, '--agent', 'nobody');
    expect(unknownAgent.code).toBe(2);
    expect(unknownAgent.stderr).toContain('agent: no agent with id nobody');
    const cancelled = await cli('cancel', workflowId, '--reason', 'test over');
    expect(JSON.parse(cancelled.stdout)).toEqual({ stopped: true, dialStarted: false });
  }, 60_000);
});
