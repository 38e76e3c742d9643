import { CHANNELS } from '../../../domain/policy';
import { ContactStoreConflictError, ContactStoreNotFoundError, createContactStore } from '../../../store';
import { describeEachBackend, freshStorePerTest } from './store-backends';

const PHONE = '+34911234567';
const OTHER_PHONE = '+34911234568';
const EMAIL = 'ana@example.com';
const T0 = Date.parse('2025-03-01T10:00:00Z');
const HOUR = 3_600_000;

describeEachBackend('opt-outs', (backend) => {
  const fixture = freshStorePerTest(backend);

  it.each(CHANNELS)('an opt-out of %s stops that channel and no other', async (channel) => {
    const { store } = fixture;
    await store.recordOptOut({ address: PHONE, channel, source: 'sms-stop', at: T0 });
    for (const other of CHANNELS) {
      expect(await store.isOptedOut(PHONE, other)).toBe(other === channel);
    }
    expect(await store.isOptedOut(OTHER_PHONE, channel)).toBe(false);
  });

  it('lifts only the opt-outs of the named source (START lifts what STOP recorded)', async () => {
    const { store } = fixture;
    await store.recordOptOut({ address: PHONE, channel: 'all', source: 'sms-stop', at: T0 });
    await store.recordOptOut({ address: PHONE, channel: 'email', source: 'unsubscribe-link', at: T0 });
    await store.recordOptOut({ address: OTHER_PHONE, channel: 'sms', source: 'provider', at: T0 });
    expect(await store.removeOptOutsFrom(PHONE, 'sms-stop')).toBe(1);
    expect(await store.removeOptOutsFrom(OTHER_PHONE, 'sms-stop')).toBe(0);
    expect(await store.isOptedOut(PHONE, 'sms')).toBe(false);
    expect(await store.isOptedOut(PHONE, 'email')).toBe(true);
    expect(await store.isOptedOut(OTHER_PHONE, 'sms')).toBe(true);
  });

  it('an opt-out of all stops every channel', async () => {
    const { store } = fixture;
    await store.recordOptOut({ address: EMAIL, channel: 'all', source: 'agent', at: T0 });
    for (const channel of CHANNELS) expect(await store.isOptedOut(EMAIL, channel)).toBe(true);
    expect(await store.contactBlock(EMAIL, 'email')).toEqual({
      kind: 'opted-out',
      optOut: { address: EMAIL, channel: 'all', source: 'agent', optedOutAt: T0 },
    });
  });

  it('recording the same opt-out again keeps the first source and time', async () => {
    const { store } = fixture;
    const first = await store.recordOptOut({ address: PHONE, channel: 'sms', source: 'agent', at: T0 });
    const again = await store.recordOptOut({
      address: PHONE,
      channel: 'sms',
      source: 'import',
      at: new Date(T0 + HOUR).toISOString(),
    });
    expect(first).toEqual({
      created: true,
      optOut: { address: PHONE, channel: 'sms', source: 'agent', optedOutAt: T0 },
    });
    expect(again).toEqual({ created: false, optOut: first.optOut });
    expect(await store.listOptOuts({ address: PHONE })).toEqual([first.optOut]);
  });

  it('an opt-out that only a STOP had recorded takes the source of the next one, so START leaves it', async () => {
    const { store } = fixture;
    await store.recordOptOut({ address: PHONE, channel: 'all', source: 'sms-stop', at: T0 });
    const agent = await store.recordOptOut({
      address: PHONE,
      channel: 'all',
      source: 'agent',
      at: T0 + HOUR,
    });
    expect(agent).toEqual({
      created: false,
      optOut: { address: PHONE, channel: 'all', source: 'agent', optedOutAt: T0 },
    });
    expect(await store.removeOptOutsFrom(PHONE, 'sms-stop')).toBe(0);
    expect(await store.isOptedOut(PHONE, 'voice')).toBe(true);
    // A repeated STOP does not weaken it back.
    await store.recordOptOut({ address: PHONE, channel: 'all', source: 'sms-stop', at: T0 + 2 * HOUR });
    expect((await store.listOptOuts({ address: PHONE }))[0]?.source).toBe('agent');
  });

  it('START removes the SMS opt-out but leaves an opt-out of all in force', async () => {
    const { store } = fixture;
    await store.recordOptOut({ address: PHONE, channel: 'sms', source: 'sms-stop', at: T0 });
    expect(await store.removeOptOut(PHONE, 'sms')).toBe(true);
    expect(await store.isOptedOut(PHONE, 'sms')).toBe(false);
    expect(await store.removeOptOut(PHONE, 'sms')).toBe(false);

    await store.recordOptOut({ address: PHONE, channel: 'all', source: 'sms-stop', at: T0 + HOUR });
    expect(await store.removeOptOut(PHONE, 'sms')).toBe(false);
    expect(await store.isOptedOut(PHONE, 'sms')).toBe(true);
    expect(await store.removeOptOut(PHONE, 'all')).toBe(true);
    expect(await store.isOptedOut(PHONE, 'sms')).toBe(false);
  });

  it('lists opt-outs oldest first, by address and by channel', async () => {
    const { store } = fixture;
    await store.recordOptOut({ address: PHONE, channel: 'voice', source: 'agent', at: T0 + 2 * HOUR });
    await store.recordOptOut({ address: PHONE, channel: 'sms', source: 'sms-stop', at: T0 });
    await store.recordOptOut({ address: EMAIL, channel: 'email', source: 'unsubscribe-link', at: T0 + HOUR });
    expect((await store.listOptOuts()).map((o) => `${o.address}/${o.channel}`)).toEqual([
      `${PHONE}/sms`,
      `${EMAIL}/email`,
      `${PHONE}/voice`,
    ]);
    expect((await store.listOptOuts({ address: PHONE })).map((o) => o.channel)).toEqual(['sms', 'voice']);
    expect((await store.listOptOuts({ channel: 'email' })).map((o) => o.address)).toEqual([EMAIL]);
  });

  it('refuses addresses that are not normalised', async () => {
    const { store } = fixture;
    await expect(
      store.recordOptOut({ address: '0034 911 234 567', channel: 'sms', source: 'sms-stop', at: T0 }),
    ).rejects.toThrow(/E\.164/);
    await expect(store.isOptedOut('Ana@Example.com', 'email')).rejects.toThrow(/lower-cased/);
  });
});

describeEachBackend('do-not-contact', (backend) => {
  const fixture = freshStorePerTest(backend);

  it('blocks the address on every channel until removed, keeping the first reason', async () => {
    const { store } = fixture;
    const added = await store.addDoNotContact({
      address: PHONE,
      reason: 'legal hold',
      source: 'crm',
      at: T0,
    });
    const again = await store.addDoNotContact({
      address: PHONE,
      reason: 'other',
      source: 'agent',
      at: T0 + HOUR,
    });
    expect(added).toEqual({
      created: true,
      entry: { address: PHONE, reason: 'legal hold', source: 'crm', addedAt: T0 },
    });
    expect(again).toEqual({ created: false, entry: added.entry });

    expect(await store.isDoNotContact(PHONE)).toBe(true);
    expect(await store.isDoNotContact(OTHER_PHONE)).toBe(false);
    for (const channel of CHANNELS) {
      expect(await store.contactBlock(PHONE, channel)).toEqual({
        kind: 'do-not-contact',
        entry: added.entry,
      });
    }
    expect(await store.listDoNotContact()).toEqual([added.entry]);

    expect(await store.removeDoNotContact(PHONE)).toBe(true);
    expect(await store.getDoNotContact(PHONE)).toBeUndefined();
    expect(await store.contactBlock(PHONE, 'voice')).toBeUndefined();
  });
});

describeEachBackend('contact preferences', (backend) => {
  const fixture = freshStorePerTest(backend);

  it('round-trips, updates only the fields given, and clears with null', async () => {
    const { store } = fixture;
    expect(await store.getPreferences('customer-1')).toBeUndefined();
    const set = await store.setPreferences({
      customerKey: 'customer-1',
      preferredChannel: 'sms',
      locale: 'es-ES',
      timeZone: 'Europe/Madrid',
      updatedAt: T0,
    });
    expect(set).toEqual({
      customerKey: 'customer-1',
      preferredChannel: 'sms',
      locale: 'es-ES',
      timeZone: 'Europe/Madrid',
      updatedAt: T0,
    });
    expect(await store.getPreferences('customer-1')).toEqual(set);

    await store.setPreferences({
      customerKey: 'customer-1',
      timeZone: 'Atlantic/Canary',
      updatedAt: T0 + HOUR,
    });
    expect(await store.getPreferences('customer-1')).toEqual({
      ...set,
      timeZone: 'Atlantic/Canary',
      updatedAt: T0 + HOUR,
    });

    await store.setPreferences({
      customerKey: 'customer-1',
      preferredChannel: null,
      updatedAt: T0 + 2 * HOUR,
    });
    expect(await store.getPreferences('customer-1')).toMatchObject({
      preferredChannel: null,
      locale: 'es-ES',
    });
  });

  it('rejects an unknown time zone and a malformed locale', async () => {
    const { store } = fixture;
    await expect(
      store.setPreferences({ customerKey: 'c', timeZone: 'Mars/Olympus', updatedAt: T0 }),
    ).rejects.toThrow(/IANA/);
    await expect(
      store.setPreferences({ customerKey: 'c', locale: 'not a locale', updatedAt: T0 }),
    ).rejects.toThrow(/BCP 47/);
    expect(await store.getPreferences('c')).toBeUndefined();
  });
});

describeEachBackend('attempts', (backend) => {
  const fixture = freshStorePerTest(backend);
  const begin = { attemptKey: 'wf-1/sms/1', channel: 'sms', to: PHONE, startedAt: T0 } as const;

  it('beginAttempt twice returns the same row, created only the first time', async () => {
    const { store } = fixture;
    const first = await store.beginAttempt(begin);
    const second = await store.beginAttempt({ ...begin, startedAt: T0 + HOUR });
    expect(first).toEqual({
      created: true,
      attempt: {
        attemptKey: 'wf-1/sms/1',
        channel: 'sms',
        to: PHONE,
        startedAt: T0,
        providerId: null,
        status: 'pending',
        completedAt: null,
      },
    });
    expect(second).toEqual({ created: false, attempt: first.attempt });
  });

  it('a retry after a crash finds the provider id the first run recorded', async () => {
    const { store, database } = fixture;
    await store.beginAttempt(begin);
    await store.recordProviderId(begin.attemptKey, 'SM0123456789abcdef0123456789abcdef');

    // Another worker process, after the first one died.
    const retry = await createContactStore(database.open()).beginAttempt(begin);
    expect(retry.created).toBe(false);
    expect(retry.attempt).toMatchObject({
      providerId: 'SM0123456789abcdef0123456789abcdef',
      status: 'accepted',
    });
    expect(await store.findAttemptByProviderId('SM0123456789abcdef0123456789abcdef')).toEqual(retry.attempt);
    expect(await store.findAttemptByProviderId('SMunknown')).toBeUndefined();
  });

  it('concurrent begins of one attempt create it exactly once', async () => {
    const { store, database } = fixture;
    const stores = [store, createContactStore(database.open()), createContactStore(database.open())];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stores[i % stores.length]!.beginAttempt(begin)),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it('recording the same provider id again is fine; a different one is a conflict', async () => {
    const { store } = fixture;
    await store.beginAttempt(begin);
    await store.recordProviderId(begin.attemptKey, '<a@recontact>');
    await expect(store.recordProviderId(begin.attemptKey, '<a@recontact>')).resolves.toMatchObject({
      providerId: '<a@recontact>',
    });
    await expect(store.recordProviderId(begin.attemptKey, '<b@recontact>')).rejects.toThrow(
      ContactStoreConflictError,
    );

    await store.beginAttempt({ ...begin, attemptKey: 'wf-1/sms/2' });
    await expect(store.recordProviderId('wf-1/sms/2', '<a@recontact>')).rejects.toThrow(
      ContactStoreConflictError,
    );
    await expect(store.recordProviderId('missing', '<c@recontact>')).rejects.toThrow(
      ContactStoreNotFoundError,
    );
  });

  it('a reported provider id is recorded only for its own attempt, and only when it has none', async () => {
    const { store } = fixture;
    const call = { ...begin, attemptKey: 'wf-1/run-1/voice/1', channel: 'voice' } as const;
    await store.beginAttempt(call);
    expect(await store.recordReportedProviderId(call.attemptKey, 'voice', 'CA01')).toBe(true);
    // A status callback repeated, then the activity's own record of the same SID: both fine.
    expect(await store.recordReportedProviderId(call.attemptKey, 'voice', 'CA01')).toBe(true);
    await expect(store.recordProviderId(call.attemptKey, 'CA01')).resolves.toMatchObject({
      providerId: 'CA01',
      status: 'accepted',
    });
    // The first id wins; another attempt's SID, a missing attempt, another channel: nothing changes.
    expect(await store.recordReportedProviderId(call.attemptKey, 'voice', 'CA02')).toBe(false);
    await store.beginAttempt({ ...call, attemptKey: 'wf-1/run-2/voice/1' });
    expect(await store.recordReportedProviderId('wf-1/run-2/voice/1', 'voice', 'CA01')).toBe(false);
    expect(await store.recordReportedProviderId('missing', 'voice', 'CA03')).toBe(false);
    await store.beginAttempt(begin);
    expect(await store.recordReportedProviderId(begin.attemptKey, 'voice', 'CA04')).toBe(false);
    expect(await store.getAttempt('wf-1/run-2/voice/1')).toMatchObject({
      providerId: null,
      status: 'pending',
    });
    expect(await store.getAttempt(begin.attemptKey)).toMatchObject({ providerId: null });
  });

  it('a key reused for another address is refused', async () => {
    const { store } = fixture;
    await store.beginAttempt(begin);
    await expect(store.beginAttempt({ ...begin, to: OTHER_PHONE })).rejects.toThrow(
      ContactStoreConflictError,
    );
  });

  it('completeAttempt records the status, keeping the first completion time', async () => {
    const { store } = fixture;
    await store.beginAttempt(begin);
    expect(await store.completeAttempt(begin.attemptKey, 'sent', T0 + 1_000)).toMatchObject({
      status: 'sent',
      completedAt: T0 + 1_000,
    });
    expect(await store.completeAttempt(begin.attemptKey, 'delivered', T0 + 5_000)).toMatchObject({
      status: 'delivered',
      completedAt: T0 + 1_000,
    });
    expect(await store.getAttempt(begin.attemptKey)).toMatchObject({ status: 'delivered' });
    expect(await store.getAttempt('missing')).toBeUndefined();
    await expect(store.completeAttempt('missing', 'sent')).rejects.toThrow(ContactStoreNotFoundError);
  });
});

describeEachBackend('contact log', (backend) => {
  const fixture = freshStorePerTest(backend);
  const touch = {
    customerKey: 'customer-1',
    address: PHONE,
    channel: 'sms',
    purpose: 'reminder',
    category: 'service',
    outcome: 'delivered',
  } as const;

  it('recentContacts includes a touch exactly at the start of the window and excludes one a millisecond earlier', async () => {
    const { store } = fixture;
    const since = T0;
    await store.logContact({ ...touch, at: since - 1, outcome: 'no-answer', channel: 'voice' });
    await store.logContact({ ...touch, at: since + 2 * HOUR, workflowId: 'wf-2' });
    await store.logContact({ ...touch, at: new Date(since).toISOString(), reason: '30003' });
    await store.logContact({ ...touch, customerKey: 'customer-2', at: since + HOUR });

    const recent = await store.recentContacts('customer-1', since);
    expect(recent.map((entry) => entry.at)).toEqual([since, since + 2 * HOUR]);
    expect(recent[0]).toMatchObject({
      reason: '30003',
      workflowId: null,
      purpose: 'reminder',
      category: 'service',
    });
    expect(recent[1]).toMatchObject({ workflowId: 'wf-2', reason: null });
    expect(await store.recentContacts('customer-1', since + 2 * HOUR + 1)).toEqual([]);
    expect(await store.recentContacts('customer-1', since - 1)).toHaveLength(3);
  });

  it('logs a retried activity once when it passes its attempt key', async () => {
    const { store } = fixture;
    const first = await store.logContact({ ...touch, at: T0, entryId: 'wf-1/sms/1' });
    const retry = await store.logContact({ ...touch, at: T0 + 5_000, entryId: 'wf-1/sms/1' });
    expect(first.created).toBe(true);
    expect(retry).toEqual({ created: false, entry: first.entry });
    expect(await store.recentContacts('customer-1', 0)).toHaveLength(1);
  });

  it('prunes touches older than the retention cut-off', async () => {
    const { store } = fixture;
    await store.logContact({ ...touch, at: T0 - 1 });
    await store.logContact({ ...touch, at: T0 });
    expect(await store.pruneContactLog(T0)).toBe(1);
    expect((await store.recentContacts('customer-1', 0)).map((entry) => entry.at)).toEqual([T0]);
  });
});

describeEachBackend('webhook de-duplication', (backend) => {
  const fixture = freshStorePerTest(backend);

  it('20 concurrent deliveries of one token: exactly one is processed', async () => {
    const { store, database } = fixture;
    const stores = [store, ...Array.from({ length: 3 }, () => createContactStore(database.open()))];
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % stores.length]!.markWebhookProcessed('token-1', T0)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.markWebhookProcessed('token-1', T0)).toBe(false);
    expect(await store.markWebhookProcessed('token-2', T0)).toBe(true);
  });

  it('a released claim lets the next delivery be processed', async () => {
    const { store } = fixture;
    expect(await store.markWebhookProcessed('token-1', T0)).toBe(true);
    expect(await store.releaseWebhook('token-1')).toBe(true);
    expect(await store.markWebhookProcessed('token-1', T0 + 1_000)).toBe(true);
    expect(await store.markWebhookProcessed('token-1', T0 + 2_000)).toBe(false);
    expect(await store.releaseWebhook('never-seen')).toBe(false);
  });

  it('forgets old tokens, so a much later delivery is processed again', async () => {
    const { store } = fixture;
    await store.markWebhookProcessed('old', T0);
    await store.markWebhookProcessed('new', T0 + HOUR);
    expect(await store.forgetProcessedWebhooks(T0 + 1)).toBe(1);
    expect(await store.markWebhookProcessed('old', T0 + 2 * HOUR)).toBe(true);
    expect(await store.markWebhookProcessed('new', T0 + 2 * HOUR)).toBe(false);
  });
});
