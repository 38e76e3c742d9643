import { createContactGate, type GateTouch } from '../../../activities/channels/contact-gate';
import { customerKeyFor } from '../../../domain/customer-key';
import { parseContactPolicy } from '../../../config/contact-policy';
import defaults from '../../../config/contact-policy.default.json';
import { RESERVATION_LEASE_MS, createContactStore } from '../../../store';
import { describeEachBackend, freshStorePerTest } from './store-backends';

const SECRET = 'gate-test-secret';
const PHONE = '+12125550142';
// A Tuesday, 10:00 in New York; the rules below open US contact around the clock anyway.
const T0 = Date.parse('2025-03-04T15:00:00Z');
const DAY = 86_400_000;

/** The shipped rules (their caps: marketing at most 3 in 7 days) with US contact open at every hour. */
const policy = (() => {
  const rules = structuredClone(defaults) as unknown as {
    countries: Record<string, { windows: unknown[]; closedOnHolidays: boolean; overrides?: unknown[] }>;
  };
  const us = rules.countries.US;
  if (us === undefined) throw new Error('the shipped rules have no US entry');
  us.windows = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }];
  us.closedOnHolidays = false;
  us.overrides = [];
  return parseContactPolicy(rules, 'gate test rules');
})();

const thankYou = (n: number, notAfter?: string): GateTouch => ({
  attemptKey: `courtesy-${n}/run/sms/1`,
  workflowId: `courtesy-${n}`,
  address: PHONE,
  channel: 'sms',
  purpose: 'courtesy',
  category: 'marketing',
  check: {
    contact: { phone: PHONE, timeZone: 'America/New_York', country: 'US', candidateTimeZones: [] },
    ...(notAfter !== undefined ? { notAfter } : {}),
  },
});

describeEachBackend('the final contact decision', (backend) => {
  const fixture = freshStorePerTest(backend);
  const gateAt = (nowMs: number, store = fixture.store) =>
    createContactGate({ store, policy, customerKeySecret: SECRET, now: () => nowMs });

  it('lets exactly three of five concurrent marketing sends to one customer through', async () => {
    // PostgreSQL: a second pool, as a second worker process would open. SQLite: libsql is synchronous,
    // so a second handle in this process would block the event loop the first one needs to commit;
    // one handle's transactions queue on its connection, and other processes wait on BEGIN IMMEDIATE.
    const other = backend.name === 'PostgreSQL' ? createContactStore(fixture.database.open()) : fixture.store;
    const gates = [gateAt(T0), gateAt(T0, other)];
    const verdicts = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => (gates[n % 2] as ReturnType<typeof gateAt>)(thankYou(n))),
    );

    expect(verdicts.filter((verdict) => verdict.verdict === 'allowed')).toHaveLength(3);
    const held = verdicts.filter((verdict) => verdict.verdict !== 'allowed');
    expect(held).toHaveLength(2);
    for (const verdict of held) {
      expect(verdict).toMatchObject({ verdict: 'not-yet', reason: 'frequency-cap' });
    }
    const log = await fixture.store.recentContacts(customerKeyFor(PHONE, SECRET), 0);
    expect(log.map((entry) => entry.outcome)).toEqual(['reserved', 'reserved', 'reserved']);
  });

  it("turns a reservation into the send's log entry, and a released one frees its place", async () => {
    const gate = gateAt(T0);
    for (const n of [1, 2, 3]) expect(await gate(thankYou(n))).toEqual({ verdict: 'allowed' });
    await fixture.store.logContact({
      entryId: thankYou(1).attemptKey,
      customerKey: customerKeyFor(PHONE, SECRET),
      address: PHONE,
      channel: 'sms',
      purpose: 'courtesy',
      category: 'marketing',
      at: T0 + 1_000,
      outcome: 'sent',
      workflowId: 'courtesy-1',
    });
    expect(await gate(thankYou(4))).toMatchObject({ verdict: 'not-yet', reason: 'frequency-cap' });

    expect(await fixture.store.releaseReservation(thankYou(2).attemptKey)).toBe(true);
    // A sent entry is not a reservation: releasing it does nothing.
    expect(await fixture.store.releaseReservation(thankYou(1).attemptKey)).toBe(false);
    expect(await gate(thankYou(4))).toEqual({ verdict: 'allowed' });
    const log = await fixture.store.recentContacts(customerKeyFor(PHONE, SECRET), 0);
    expect(log.map((entry) => [entry.entryId, entry.outcome])).toEqual([
      [thankYou(3).attemptKey, 'reserved'],
      [thankYou(4).attemptKey, 'reserved'],
      [thankYou(1).attemptKey, 'sent'],
    ]);
  });

  it('stops counting a reservation whose send never logged once its lease is over', async () => {
    for (const n of [1, 2, 3]) await gateAt(T0)(thankYou(n));
    expect(await gateAt(T0 + RESERVATION_LEASE_MS - 1_000)(thankYou(4))).toMatchObject({
      verdict: 'not-yet',
    });
    expect(await gateAt(T0 + RESERVATION_LEASE_MS + 1_000)(thankYou(4))).toEqual({ verdict: 'allowed' });
  });

  it('holds back a send past its notAfter, or one the policy would allow only after it', async () => {
    const gate = gateAt(T0);
    expect(await gate(thankYou(1, new Date(T0 - 1).toISOString()))).toMatchObject({ verdict: 'expired' });
    for (const n of [2, 3, 4]) await gate(thankYou(n));
    // The cap frees a place in 7 days; this thank-you is no use after tomorrow.
    expect(await gate(thankYou(5, new Date(T0 + DAY).toISOString()))).toMatchObject({ verdict: 'expired' });
    expect(await gate(thankYou(6))).toMatchObject({
      verdict: 'not-yet',
      untilEpochMs: T0 + 7 * DAY,
    });
    expect(await fixture.store.recentContacts(customerKeyFor(PHONE, SECRET), 0)).toHaveLength(3);
  });
});
