import { startCallbackStack, type CallbackStack } from '../../harness/callbacks';
import { eventually } from '../../harness/temporal';
import type { Browser } from 'playwright-core';
import { artifactPath, deskAdmin, launchChromium, signIn } from '../../harness/desk-browser';

interface AgentViewBody {
  queue: { workflowId: string; customerName?: string; state: string }[];
  queuePage: { offset: number; limit: number; total: number };
  offer: { workflowId: string } | null;
  current: { workflowId: string; state: string } | null;
}

/**
 * The desk reads the store's read model (desk_callbacks), which the runs write: no cap on what an
 * agent sees, and the view follows a run from the store. Real stack on the dev server.
 */
describe('the desk reads the store', () => {
  let stack: CallbackStack;
  let admin: ReturnType<typeof deskAdmin>;
  let browser: Browser;
  let anaToken = '';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startCallbackStack(undefined, { policy: 'round-the-clock' }),
      launchChromium(),
    ]);
    admin = deskAdmin(stack);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const get = async <T>(url: string, token: string): Promise<T> => {
    const response = await fetch(admin.base + url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  it('lets an agent page through 250 waiting callbacks and claim the 250th', async () => {
    const { store } = stack.services;
    const token = await admin.agentWithToken('ana', ['desk-many']);
    anaToken = token;
    // Busy: Ana may claim but is offered nothing, so nothing here depends on the dispatcher.
    await store.setPresence('ana', 'busy', Date.now());
    const base = Date.now() - 3_600_000;
    // 249 callbacks written to the store as their runs write them (desk row, then queue entry),
    // all ahead of the real one in service order (higher priority).
    for (let index = 0; index < 249; index += 1) {
      const workflowId = `callback-deskmany${String(index).padStart(4, '0')}`;
      await store.publishDeskCallback({
        workflowId,
        state: 'waiting-for-agent',
        priority: 500,
        requestedAtMs: base + index,
        origin: 'abandon',
        queue: 'desk-many',
        skill: 'desk-many',
        customerName: `Customer ${index}`,
        waitedSeconds: 30,
        abandonCount: 1,
        attempts: [],
        version: 1,
      });
      await store.enqueueCallback({
        workflowId,
        skill: 'desk-many',
        priority: 500,
        requestedAtMs: base + index,
      });
    }
    const phone = '+12125550341';
    const real = await stack.abandon(phone, { queue: 'desk-many', ivrInput: 'the last in line' });
    await eventually(async () => ((await store.queuedCallback(real)) !== undefined ? true : undefined));

    const seen: string[] = [];
    let total = 0;
    for (let offset = 0; ; offset += 50) {
      const view = await get<AgentViewBody>(`/desk/api/agent/view?offset=${offset}&limit=50`, token);
      total = view.queuePage.total;
      expect(view.queuePage).toMatchObject({ offset, limit: 50 });
      seen.push(...view.queue.map((card) => card.workflowId));
      if (view.queue.length < 50) break;
    }
    expect(total).toBe(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen.indexOf(real)).toBe(249);
    const last = await get<AgentViewBody>('/desk/api/agent/view?offset=249&limit=1', token);
    expect(last.queue[0]).toMatchObject({ workflowId: real, state: 'waiting-for-agent' });

    // A bad page is refused with the field and the rule.
    const bad = await fetch(`${admin.base}/desk/api/agent/view?limit=5000`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('limit');

    const claim = await fetch(`${admin.base}/desk/api/agent/callbacks/${real}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(claim.status).toBe(200);
    const status = await stack.waitForStatus(real, (current) => current.agent?.agentId === 'ana');
    expect(status.agent?.agentId).toBe('ana');
    await eventually(async () =>
      stack.agentCalls().some((call) => call.legs.some((leg) => leg.to === phone)) ? true : undefined,
    );
    // The other 249 are still there for her.
    const after = await get<AgentViewBody>('/desk/api/agent/view?offset=0&limit=1', token);
    expect(after.queuePage.total).toBe(249);
    await stack.waitForStatus(real, (current) => current.state === 'on-call');
    const disposition = await fetch(`${admin.base}/desk/api/agent/callbacks/${real}/disposition`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ disposition: 'resolved' }),
    });
    expect(disposition.status).toBe(200);
  });

  it('pages the agent page through the 249 left, with previous and next', async () => {
    const page = await signIn(browser, `${admin.base}/desk`, anaToken);
    try {
      await page.locator('#queue-count', { hasText: '(249)' }).waitFor({ timeout: 15_000 });
      await expect(page.locator('#queue-range').textContent()).resolves.toBe('1–50 of 249');
      expect(await page.locator('#queue li.card').count()).toBe(50);
      expect(await page.locator('#queue-prev').isDisabled()).toBe(true);
      for (let step = 0; step < 4; step += 1) await page.locator('#queue-next').click();
      await page.locator('#queue-range', { hasText: '201–249 of 249' }).waitFor();
      await page.locator('#queue li[data-workflow-id="callback-deskmany0248"]').waitFor();
      expect(await page.locator('#queue li.card').count()).toBe(49);
      expect(await page.locator('#queue-next').isDisabled()).toBe(true);
      await page.screenshot({ path: artifactPath('agent-desk-last-page.png') });
      await page.locator('#queue-prev').click();
      await page.locator('#queue-range', { hasText: '151–200 of 249' }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('shows a callback whose run wrote no desk row (started before the read model), backfilled from one query of the run', async () => {
    const { store } = stack.services;
    const token = await admin.agentWithToken('cat', ['desk-legacy']);
    await store.setPresence('cat', 'busy', Date.now());
    const { workflowId } = await stack.recontact.callbacks.scheduleCallback({
      phone: '+12125550343',
      at: new Date(Date.now() + 500).toISOString(),
      queue: 'desk-legacy',
      customerName: 'Legacy Lee',
    });
    await eventually(async () => ((await store.queuedCallback(workflowId)) !== undefined ? true : undefined));
    await eventually(async () =>
      (await store.deskCallbacksOf([workflowId])).get(workflowId)?.state === 'waiting-for-agent'
        ? true
        : undefined,
    );
    // As a run started before the read model: queued, but no row of its own.
    await store.removeDeskCallback(workflowId);
    const shown = await eventually(async () => {
      const view = await get<AgentViewBody>('/desk/api/agent/view', token);
      const card = view.queue.find((entry) => entry.workflowId === workflowId);
      return card?.customerName === 'Legacy Lee' ? card : undefined;
    });
    expect(shown).toMatchObject({ workflowId, state: 'waiting-for-agent' });
    expect((await store.deskCallbacksOf([workflowId])).get(workflowId)).toMatchObject({
      legacy: true,
      customerName: 'Legacy Lee',
    });
    await stack.recontact.callbacks.cancel({ workflowId }, { by: 'test' });
    // The run's own write (done) replaces the desk's: it leaves the lists.
    await eventually(async () =>
      (await store.deskCallbacksOf([workflowId])).get(workflowId)?.state === 'done' ? true : undefined,
    );
  });

  it('follows a run from waiting to offered, on the call and done, from the store', async () => {
    const { store } = stack.services;
    const token = await admin.agentWithToken('ben', ['desk-follow']);
    const supervisor = await admin.supervisorToken('sue');
    const phone = '+12125550342';
    const workflowId = await stack.abandon(phone, { queue: 'desk-follow', ivrInput: 'follow me' });
    const states: string[] = [];
    const watch = setInterval(() => {
      void store.deskCallbacksOf([workflowId]).then((rows) => {
        const state = rows.get(workflowId)?.state;
        if (state !== undefined && states[states.length - 1] !== state) states.push(state);
      });
    }, 25);
    try {
      await eventually(async () =>
        (await store.deskCallbacksOf([workflowId])).get(workflowId)?.state === 'waiting-for-agent'
          ? true
          : undefined,
      );
      const waiting = await get<{ callbacks: { workflowId: string; state: string }[] }>(
        '/desk/api/supervisor/view?skill=desk-follow',
        supervisor,
      );
      expect(waiting.callbacks).toEqual([
        expect.objectContaining({ workflowId, state: 'waiting-for-agent' }),
      ]);

      await store.setPresence('ben', 'available', Date.now());
      await stack.requestDispatch();
      const offered = await eventually(async () => {
        const view = await get<AgentViewBody>('/desk/api/agent/view', token);
        return view.offer?.workflowId === workflowId ? view : undefined;
      });
      expect(offered.offer).toMatchObject({ workflowId });
      await eventually(async () =>
        (await store.deskCallbacksOf([workflowId])).get(workflowId)?.state === 'offered' ? true : undefined,
      );

      const accept = await fetch(`${admin.base}/desk/api/agent/callbacks/${workflowId}/accept`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(accept.status).toBe(200);
      const onCall = await eventually(async () => {
        const view = await get<AgentViewBody>('/desk/api/agent/view', token);
        return view.current?.state === 'on-call' ? view : undefined;
      });
      expect(onCall.current).toMatchObject({ workflowId, state: 'on-call' });
      const held = await get<{
        callbacks: { workflowId: string; state: string; holder?: { agentId: string } }[];
      }>('/desk/api/supervisor/view?agent=ben', supervisor);
      expect(held.callbacks).toEqual([
        expect.objectContaining({
          workflowId,
          state: 'on-call',
          holder: expect.objectContaining({ agentId: 'ben' }),
        }),
      ]);

      const disposition = await fetch(`${admin.base}/desk/api/agent/callbacks/${workflowId}/disposition`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ disposition: 'resolved' }),
      });
      expect(disposition.status).toBe(200);
      await eventually(async () =>
        (await store.deskCallbacksOf([workflowId])).get(workflowId)?.state === 'done' ? true : undefined,
      );
      const after = await get<{ page: { total: number } }>(
        '/desk/api/supervisor/view?skill=desk-follow',
        supervisor,
      );
      expect(after.page.total).toBe(0);
      await eventually(async () => {
        const view = await get<AgentViewBody>('/desk/api/agent/view', token);
        return view.current === null ? true : undefined;
      });
    } finally {
      clearInterval(watch);
      await store.setPresence('ben', 'offline', Date.now());
    }
    // The row went through every state in order (a state shorter than the watch's period may be missed).
    const order = ['waiting-for-agent', 'offered', 'dialling', 'on-call', 'done'];
    expect(states.filter((state) => order.includes(state))).toEqual(
      order.filter((state) => states.includes(state)),
    );
    expect(states).toEqual(expect.arrayContaining(['waiting-for-agent', 'offered', 'on-call', 'done']));
  });
});
