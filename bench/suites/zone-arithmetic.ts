import { IANAZone } from 'luxon';
import { loadContactPolicy } from '../../config/contact-policy';
import { contactRequestSchema, decideContact, type ContactRequest } from '../../domain/policy';
import { zoneOffsetMs } from '../../domain/policy/zone-offset';
import type { BenchRow } from '../stats';

/**
 * The zone arithmetic of the contact policy, on the CPU alone (no Temporal): the hand-written offset
 * reader the calling windows probe with beside luxon's, and whole `decideContact` calls. Why the
 * fast path is kept and what luxon does elsewhere: docs/zone-arithmetic.md.
 */

const ZONES = [
  'America/New_York',
  'Europe/Madrid',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Los_Angeles',
];
const START_MS = Date.parse('2025-01-01T00:00:00Z');
const STEP_MS = 3_607_000; // a little over an hour: every offset of every zone, across DST changes

/** Calls per second of `call(i)` over about `budgetMs` (after a warm-up of the same length / 4). */
function rate(call: (i: number) => unknown, budgetMs: number): number {
  let sink = 0;
  const run = (ms: number): number => {
    const started = performance.now();
    let calls = 0;
    while (performance.now() - started < ms) {
      for (let i = 0; i < 1_000; i += 1) if (call(calls + i) !== undefined) sink += 1;
      calls += 1_000;
    }
    return (calls * 1_000) / (performance.now() - started);
  };
  run(budgetMs / 4);
  const measured = run(budgetMs);
  if (sink < 0) console.log(sink);
  return measured;
}

const perSecond = (value: number): string =>
  value >= 1e6 ? `${(value / 1e6).toFixed(2)} M/s` : `${(value / 1e3).toFixed(1)} k/s`;

function requests(): ContactRequest[] {
  const contacts = [
    { phone: '+12125550123', country: 'US', timeZone: 'America/New_York' },
    { phone: '+18005550100', country: 'US' }, // toll-free: every US zone is a candidate
    { phone: '+34911234567', country: 'ES', timeZone: 'Europe/Madrid' },
    { phone: '+61255501234', country: 'AU', timeZone: 'Australia/Lord_Howe' },
  ];
  const list: ContactRequest[] = [];
  for (let hour = 0; hour < 24 * 14; hour += 7)
    for (const contact of contacts)
      list.push(
        contactRequestSchema.parse({
          contact,
          channel: 'voice',
          purpose: 'callback',
          now: new Date(Date.parse('2025-03-05T00:00:00Z') + hour * 3_600_000).toISOString(),
        }),
      );
  return list;
}

export function zoneArithmeticRows(budgetMs = 2_000): BenchRow[] {
  const zones = ZONES.map((name) => IANAZone.create(name));
  const at = (i: number): number => START_MS + (i % 10_000) * STEP_MS;
  const handWritten = rate((i) => zoneOffsetMs(at(i), ZONES[i % ZONES.length] as string), budgetMs);
  const luxon = rate((i) => (zones[i % zones.length] as IANAZone).offset(at(i)), budgetMs);
  const policy = loadContactPolicy();
  const list = requests();
  const decisions = rate((i) => decideContact(list[i % list.length] as ContactRequest, policy), budgetMs);
  return [
    {
      benchmark: 'zone offset of an instant, 5 zones (calling-window probe)',
      measured: `${perSecond(handWritten)} hand-written`,
      baseline: `${perSecond(luxon)} luxon IANAZone.offset`,
      ratio: `${(handWritten / luxon).toFixed(2)}×`,
      target: 'keep the hand-written reader while ratio ≥ 2× (docs/zone-arithmetic.md)',
    },
    {
      benchmark: `decideContact, voice callback, 4 contacts × 48 hours (${list.length} requests)`,
      measured: perSecond(decisions),
      baseline: 'shipped contact policy',
      ratio: `${(1e6 / decisions).toFixed(0)} µs each`,
      target: 'far below a local activity round trip (~1 ms)',
    },
  ];
}
