import fc from 'fast-check';
import {
  CATEGORIES,
  CHANNELS,
  PURPOSES,
  frequencyCapBlocks,
  frequencyCapSchema,
  type ContactLogEntry,
  type FrequencyCap,
} from '../../../domain/policy';

type Touch = Parameters<typeof frequencyCapBlocks>[1];

const DAY = 86_400_000;
const now = Date.parse('2025-01-07T10:00:00Z');

const scope = {
  channels: fc.option(fc.subarray([...CHANNELS], { minLength: 1 }), { nil: undefined }),
  categories: fc.option(fc.subarray([...CATEGORIES], { minLength: 1 }), { nil: undefined }),
  purposes: fc.option(fc.subarray([...PURPOSES], { minLength: 1 }), { nil: undefined }),
};
const capArb: fc.Arbitrary<FrequencyCap> = fc
  .record({
    ...scope,
    max: fc.integer({ min: 1, max: 4 }),
    periodDays: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constantFrom(0.5, 1.5)),
    countSameOutreach: fc.boolean(),
  })
  .map((cap) => frequencyCapSchema.parse({ name: 'generated', ...cap }));
const touchArb = fc.record({
  channel: fc.constantFrom(...CHANNELS),
  purpose: fc.constantFrom(...PURPOSES),
  category: fc.constantFrom(...CATEGORIES),
  outreachId: fc.constantFrom(undefined, 'a', 'b'),
});
const entryArb: fc.Arbitrary<ContactLogEntry> = fc
  .record({ touch: touchArb, ageMinutes: fc.integer({ min: -60, max: 40 * 1_440 }) })
  .map(({ touch, ageMinutes }) => ({
    ...touch,
    ...(touch.outreachId === undefined ? {} : { outreachId: touch.outreachId }),
    at: new Date(now - ageMinutes * 60_000).toISOString(),
  }));

/** The obvious count: matching touches in the period before `at` (or logged after it). */
function countAt(cap: FrequencyCap, touch: Touch, log: ContactLogEntry[], at: number) {
  const inScope = (t: { channel: string; category: string; purpose: string }) =>
    (cap.channels === undefined || cap.channels.includes(t.channel as never)) &&
    (cap.categories === undefined || cap.categories.includes(t.category as never)) &&
    (cap.purposes === undefined || cap.purposes.includes(t.purpose as never));
  if (!inScope(touch)) return 0;
  return log.filter(
    (entry) =>
      inScope(entry) &&
      (cap.countSameOutreach || touch.outreachId === undefined || entry.outreachId !== touch.outreachId) &&
      Date.parse(entry.at) > at - cap.periodDays * DAY,
  ).length;
}

describe('frequency caps', () => {
  it('release exactly when every cap counts fewer touches than its maximum', () => {
    fc.assert(
      fc.property(
        fc.array(capArb, { minLength: 1, maxLength: 3 }),
        touchArb,
        fc.array(entryArb, { maxLength: 12 }),
        (caps, touch, log) => {
          const blocks = frequencyCapBlocks(caps, touch, log, now);
          const release = blocks[0]?.releaseMs ?? now;
          for (const cap of caps)
            expect(countAt(cap, touch, log, Math.max(release, now))).toBeLessThan(cap.max);
          if (blocks.length > 0) {
            expect(release).toBeGreaterThan(now);
            expect(caps.some((cap) => countAt(cap, touch, log, release - 1) >= cap.max)).toBe(true);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
