import { MS_PER_DAY } from './civil-date';
import type { ContactLogEntry } from './contact-request';
import type { FrequencyCap } from './rules-schema';
import { toEpochMs, type Category, type Channel, type Purpose } from './vocabulary';

/** The request being capped, as far as caps care. */
export interface CappedTouch {
  readonly channel: Channel;
  readonly purpose: Purpose;
  readonly category: Category;
  readonly outreachId?: string | undefined;
}

interface Scoped {
  readonly channels?: readonly Channel[] | undefined;
  readonly categories?: readonly Category[] | undefined;
  readonly purposes?: readonly Purpose[] | undefined;
}

/** A missing list in a scope means "all". */
export function inScope(
  scope: Scoped,
  touch: Pick<CappedTouch, 'channel' | 'purpose' | 'category'>,
): boolean {
  return (
    (scope.channels === undefined || scope.channels.includes(touch.channel)) &&
    (scope.categories === undefined || scope.categories.includes(touch.category)) &&
    (scope.purposes === undefined || scope.purposes.includes(touch.purpose))
  );
}

export interface FrequencyCapBlock {
  readonly cap: FrequencyCap;
  /** Matching touches inside the rolling period at `now`. */
  readonly count: number;
  /** When enough of them have aged out for one more touch. */
  readonly releaseMs: number;
}

/**
 * Caps that block `touch` at `nowMs`, latest release first. A touch is allowed under a cap when fewer than
 * `max` matching touches happened in the `periodDays` before it. Touches logged in the future count too
 * (a clock that is slightly off must not open a gap).
 */
export function frequencyCapBlocks(
  caps: readonly FrequencyCap[],
  touch: CappedTouch,
  contactLog: readonly ContactLogEntry[],
  nowMs: number,
): FrequencyCapBlock[] {
  const blocks: FrequencyCapBlock[] = [];
  for (const cap of caps) {
    if (!inScope(cap, touch)) continue;
    const periodMs = cap.periodDays * MS_PER_DAY;
    const expiries: number[] = [];
    for (const entry of contactLog) {
      if (!inScope(cap, entry)) continue;
      if (!cap.countSameOutreach && touch.outreachId !== undefined && entry.outreachId === touch.outreachId) {
        continue;
      }
      const expiry = toEpochMs(entry.at) + periodMs;
      if (expiry > nowMs) expiries.push(expiry);
    }
    if (expiries.length < cap.max) continue;
    // Allowed at T once fewer than `max` touches are still counted, i.e. from the max-th latest expiry on.
    expiries.sort((a, b) => b - a);
    blocks.push({ cap, count: expiries.length, releaseMs: expiries[cap.max - 1] as number });
  }
  return blocks.sort((a, b) => b.releaseMs - a.releaseMs);
}
