import { describeEachBackend, freshStorePerTest } from './store-backends';

const PHONE = '+34911234567';
const T0 = Date.parse('2025-03-01T10:00:00Z');

describeEachBackend('reply routes', (backend) => {
  const fixture = freshStorePerTest(backend);

  it('routes a reply to the workflow that asked, until the route expires', async () => {
    const { store } = fixture;
    await store.expectReply({ address: PHONE, workflowId: 'reminder-1', until: T0 + 60_000 });
    expect(await store.findReplyRoute(PHONE, T0)).toBe('reminder-1');
    expect(await store.findReplyRoute(PHONE, T0 + 60_000)).toBeUndefined();
    expect(await store.findReplyRoute('+34911234568', T0)).toBeUndefined();
  });

  it('gives the route to the latest outreach that asked', async () => {
    const { store } = fixture;
    await store.expectReply({ address: PHONE, workflowId: 'reminder-1', until: T0 + 60_000 });
    await store.expectReply({ address: PHONE, workflowId: 'callback-2', until: T0 + 30_000 });
    expect(await store.findReplyRoute(PHONE, T0)).toBe('callback-2');
  });
});
