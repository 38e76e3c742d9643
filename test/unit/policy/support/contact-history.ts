import fc from 'fast-check';
import {
  CATEGORIES,
  CHANNELS,
  PURPOSES,
  frequencyCapSchema,
  type Category,
  type Channel,
  type ContactLogEntry,
  type FrequencyCap,
  type OptOut,
  type Purpose,
} from '../../../../domain/policy';

/** Generated caps, contact logs and opt-outs, and the obvious way to read them. */

const DAY = 86_400_000;

export interface Touch {
  channel: Channel;
  purpose: Purpose;
  category: Category;
  outreachId?: string | undefined;
}

const scope = {
  channels: fc.option(fc.subarray([...CHANNELS], { minLength: 1 }), { nil: undefined }),
  categories: fc.option(fc.subarray([...CATEGORIES], { minLength: 1 }), { nil: undefined }),
  purposes: fc.option(fc.subarray([...PURPOSES], { minLength: 1 }), { nil: undefined }),
};

export const capArb: fc.Arbitrary<FrequencyCap> = fc
  .record({
    ...scope,
    max: fc.integer({ min: 1, max: 4 }),
    periodDays: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constantFrom(0.5, 1.5)),
    countSameOutreach: fc.boolean(),
  })
  .map((cap) => frequencyCapSchema.parse({ name: 'generated', ...cap }));

export const touchArb: fc.Arbitrary<Touch> = fc.record({
  channel: fc.constantFrom(...CHANNELS),
  purpose: fc.constantFrom(...PURPOSES),
  category: fc.constantFrom(...CATEGORIES),
  outreachId: fc.constantFrom(undefined, 'a', 'b'),
});

/** A touch some minutes before `now` (a few after, for a clock that is off). */
export const pastTouchArb = fc.record({
  touch: touchArb,
  ageMinutes: fc.integer({ min: -60, max: 40 * 1_440 }),
});

export function logAt(now: number, past: readonly { touch: Touch; ageMinutes: number }[]): ContactLogEntry[] {
  return past.map(({ touch, ageMinutes }) => ({
    channel: touch.channel,
    purpose: touch.purpose,
    category: touch.category,
    ...(touch.outreachId === undefined ? {} : { outreachId: touch.outreachId }),
    at: new Date(now - ageMinutes * 60_000).toISOString(),
  }));
}

/** An opt-out, permanent or lasting some minutes past `now`. */
export const optOutSeedArb = fc.record({
  channel: fc.option(fc.constantFrom(...CHANNELS), { nil: undefined }),
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
  purpose: fc.option(fc.constantFrom(...PURPOSES), { nil: undefined }),
  untilMinutes: fc.option(fc.integer({ min: -600, max: 20 * 1_440 }), { nil: undefined, freq: 4 }),
});

export type OptOutSeed = typeof optOutSeedArb extends fc.Arbitrary<infer T> ? T : never;

export function optOutsAt(now: number, seeds: readonly OptOutSeed[]): OptOut[] {
  return seeds.map(({ channel, category, purpose, untilMinutes }) => ({
    source: 'generated',
    ...(channel === undefined ? {} : { channel }),
    ...(category === undefined ? {} : { category }),
    ...(purpose === undefined ? {} : { purpose }),
    ...(untilMinutes === undefined ? {} : { until: new Date(now + untilMinutes * 60_000).toISOString() }),
  }));
}

export function optOutCovers(optOut: OptOut, touch: Touch): boolean {
  return (
    (optOut.channel === undefined || optOut.channel === touch.channel) &&
    (optOut.category === undefined || optOut.category === touch.category) &&
    (optOut.purpose === undefined || optOut.purpose === touch.purpose)
  );
}

/** Matching touches counted by `cap` at `at`: inside the period before it, or logged after it. */
export function countAt(
  cap: FrequencyCap,
  touch: Touch,
  log: readonly ContactLogEntry[],
  at: number,
): number {
  const inScope = (t: { channel: Channel; category: Category; purpose: Purpose }) =>
    (cap.channels === undefined || cap.channels.includes(t.channel)) &&
    (cap.categories === undefined || cap.categories.includes(t.category)) &&
    (cap.purposes === undefined || cap.purposes.includes(t.purpose));
  if (!inScope(touch)) return 0;
  return log.filter(
    (entry) =>
      inScope(entry) &&
      (cap.countSameOutreach || touch.outreachId === undefined || entry.outreachId !== touch.outreachId) &&
      Date.parse(entry.at) > at - cap.periodDays * DAY,
  ).length;
}
