import type { Browser, Page } from 'playwright-core';
import { startCallbackStack, agentPhones, type CallbackStack } from '../../harness/callbacks';
import { eventually } from '../../harness/temporal';
import { artifactPath, deskAdmin, launchChromium, signIn } from '../../harness/desk-browser';

const XSS_NAME = '<img src=x onerror=alert(1)>';

/** The agent desk in a headless Chromium against the real stack on the dev server (real time). */
describe('agent desk in a browser', () => {
  let stack: CallbackStack;
  let browser: Browser;
  let admin: ReturnType<typeof deskAdmin>;
  const pages: Page[] = [];
  const open = async (url: string, token: string) => {
    const page = await signIn(browser, admin.base + url, token);
    pages.push(page);
    return page;
  };
  const callsFor = (phone: string) =>
    stack.agentCalls().filter((call) => call.legs.some((leg) => leg.to === phone));

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
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.context().close();
  });

  it('offers a due callback to an available agent within seconds; accept dials agent-first; the disposition ends the run', async () => {
    const token = await admin.agentWithToken('ana', ['desk-offer']);
    const page = await open('/desk', token);
    await page.getByRole('button', { name: 'Available' }).click();
    await page.locator('#presence button[data-presence="available"][aria-pressed="true"]').waitFor();

    const phone = '+12125550311';
    const dueAt = Date.now();
    const workflowId = await stack.abandon(phone, { queue: 'desk-offer', ivrInput: 'billing question' });
    await page.locator(`#offer article[data-workflow-id="${workflowId}"]`).waitFor({ timeout: 15_000 });
    expect(Date.now() - dueAt).toBeLessThan(10_000);
    await expect(page.locator('#offer-countdown').textContent()).resolves.toMatch(/Offer expires in \d+ s/);
    await expect(page.locator('#offer').textContent()).resolves.toContain('billing question');
    await page.screenshot({ path: artifactPath('agent-desk-offer.png') });

    // The accept button has the focus when an offer arrives: Enter takes it.
    await page.keyboard.press('Enter');
    await page.locator('#call-state.state-on-call').waitFor({ timeout: 20_000 });
    const [call] = callsFor(phone);
    expect(call?.to).toBe(agentPhones.ana);
    expect(call?.legs.map((leg) => leg.to)).toEqual([phone]);
    await page.screenshot({ path: artifactPath('agent-desk-on-call.png') });

    await page.locator('#disposition').selectOption('resolved');
    await page.locator('#notes').fill('Explained the invoice');
    await page.getByRole('button', { name: 'Record disposition' }).click();
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('connected');
    expect(done.timeline.map((entry) => entry.step)).toContain('disposition');
    await page.getByText('No call in progress.').waitFor();

    // Signing out takes the agent off the offer list.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in-panel').waitFor({ state: 'visible' });
    expect((await stack.services.store.getAgent('ana'))?.presence).toBe('offline');
  });

  it('lets exactly one of two agents claim a callback; the other is told and the item leaves their list; names render as text', async () => {
    const [benToken, catToken] = [
      await admin.agentWithToken('ben', ['desk-claim']),
      await admin.agentWithToken('cat', ['desk-claim']),
    ];
    const [ben, cat] = await Promise.all([open('/desk', benToken), open('/desk', catToken)]);
    // Busy agents are not offered callbacks but may claim one: both see it in their queue.
    for (const page of [ben, cat]) await page.getByRole('button', { name: 'Busy' }).click();

    const phone = '+12125550312';
    const { workflowId } = await stack.recontact.callbacks.scheduleCallback({
      phone,
      at: new Date(Date.now() + 1_500).toISOString(),
      queue: 'desk-claim',
      customerName: XSS_NAME,
      reason: 'Wants to <b>upgrade</b>',
    });
    const item = (page: Page) => page.locator(`#queue li[data-workflow-id="${workflowId}"]`);
    await Promise.all([ben, cat].map((page) => item(page).waitFor({ timeout: 15_000 })));
    for (const page of [ben, cat]) {
      await expect(item(page).locator('.customer-name').textContent()).resolves.toBe(XSS_NAME);
      expect(await page.locator('#queue img, #queue b').count()).toBe(0);
    }

    await Promise.all(
      [ben, cat].map((page) => item(page).getByRole('button', { name: 'Claim — call now' }).click()),
    );
    const status = await stack.waitForStatus(workflowId, (current) => current.agent !== undefined);
    const winner = status.agent?.agentId === 'ben' ? ben : cat;
    const loser = winner === ben ? cat : ben;
    expect(['ben', 'cat']).toContain(status.agent?.agentId);
    await winner.locator(`#current article[data-workflow-id="${workflowId}"]`).waitFor();
    await expect(loser.locator('#message').textContent()).resolves.toMatch(
      /^Not yours: .+removed from your list\.$/,
    );
    expect(await item(loser).count()).toBe(0);
    await loser.screenshot({ path: artifactPath('agent-desk-claim-lost.png') });

    await winner.locator('#call-state.state-on-call').waitFor({ timeout: 20_000 });
    expect(callsFor(phone)).toHaveLength(1);
    await winner.locator('#disposition').selectOption('wrong-number');
    await winner.getByRole('button', { name: 'Record disposition' }).click();
    const done = await stack.waitForStatus(workflowId, (current) => current.state === 'done');
    expect(done.outcome).toBe('wrong-number');
  });

  it('checks token and role on every desk endpoint, and keeps other agents’ callbacks private', async () => {
    const agentToken = await admin.agentWithToken('ana', ['desk-offer']);
    const supervisorToken = await admin.supervisorToken('sam');
    const get = (url: string, token?: string) =>
      fetch(admin.base + url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

    for (const url of [
      '/desk/api/me',
      '/desk/api/events',
      '/desk/api/agent/view',
      '/desk/api/supervisor/view',
    ]) {
      const response = await get(url);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    expect((await get('/desk/api/supervisor/view', 'rdt_not-a-real-token')).status).toBe(401);
    const unknownAgent = await fetch(`${admin.base}/v1/desk-tokens`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'agent', subjectId: 'nobody' }),
    });
    expect(unknownAgent.status).toBe(400);
    expect(
      ((await unknownAgent.json()) as { error: { problems: { field: string; rule: string }[] } }).error
        .problems,
    ).toEqual([expect.objectContaining({ field: 'body.subjectId', rule: 'exists' })]);
    const forbidden = await get('/desk/api/supervisor/view', agentToken);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { message: string } }).error.message).toMatch(/supervisor/);
    expect((await get('/desk/api/agent/view', supervisorToken)).status).toBe(403);
    expect((await get('/desk/api/supervisor/view', supervisorToken)).status).toBe(200);
    // The admin API's bearer token is not a desk token.
    expect((await get('/desk/api/me', 'test-token')).status).toBe(401);
    // The page shells carry no data; they refuse inline script.
    const shell = await get('/desk/supervisor');
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).toContain("script-src 'self'");

    // A callback for a skill Ana lacks: she may neither see its details nor claim it.
    const phone = '+12125550313';
    const workflowId = await stack.abandon(phone, { queue: 'desk-private' });
    await eventually(async () =>
      (await stack.services.store.listCallbackQueue()).some((entry) => entry.workflowId === workflowId)
        ? true
        : undefined,
    );
    expect((await get(`/desk/api/agent/callbacks/${workflowId}`, agentToken)).status).toBe(403);
    const claim = await fetch(`${admin.base}/desk/api/agent/callbacks/${workflowId}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}` },
    });
    expect(claim.status).toBe(409);
    expect(((await claim.json()) as { error: { message: string } }).error.message).toContain(
      'skill desk-private',
    );
    const badBody = await fetch(`${admin.base}/desk/api/agent/callbacks/${workflowId}/disposition`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ disposition: 'follow-up' }),
    });
    expect(badBody.status).toBe(400);
    expect(
      ((await badBody.json()) as { error: { problems: { field: string }[] } }).error.problems[0]?.field,
    ).toBe('body.followUpAt');

    // The supervisor sees it, raises its priority and cancels it from the page, by keyboard and mouse.
    const page = await open('/desk/supervisor', supervisorToken);
    const row = page.locator(`#callbacks tr[data-workflow-id="${workflowId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await page.locator('.tile-value').first().waitFor();
    // Filters narrow the list in the page: another skill hides the row, this one shows it again.
    await page.getByLabel('Skill').fill('desk-elsewhere');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Skill').fill('desk-private');
    await page.getByLabel('State').selectOption('waiting-for-agent');
    await row.waitFor();
    await row.getByRole('button').click();
    await page.locator('#detail-body dl').waitFor();
    await page.locator('#priority-points').fill('25');
    await page.locator('#priority-points').press('Enter');
    await page.getByText('Priority raised.').waitFor();
    expect((await stack.status(workflowId)).priority).toBeGreaterThanOrEqual(25);
    // The operation refreshed today's counts: this file alone requested three callbacks and completed one.
    const tile = (label: string) => page.locator('.tile', { hasText: label }).locator('.tile-value');
    await eventually(async () =>
      Number(await tile('Completed today').textContent()) >= 1 ? true : undefined,
    );
    expect(Number(await tile('Requested today').textContent())).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: artifactPath('supervisor-view.png') });
    await page.locator('#cancel-reason').fill('customer asked by e-mail');
    await page.getByRole('button', { name: 'Cancel callback' }).click();
    await page.getByText('Cancelled.').waitFor();
    const done = await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    expect(done.outcome).toBe('cancelled');
    // The page re-reads the callback after an operation and shows how it ended.
    await page.locator('#detail-body').getByText('done (cancelled)').waitFor();
    expect(JSON.stringify(done.timeline)).toContain('supervisor:sam');
  });
});
