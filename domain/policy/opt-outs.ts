import type { OptOut } from './contact-request';
import { toEpochMs, type Category, type Channel, type Purpose } from './vocabulary';

export type OptOutVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'permanent'; readonly optOut: OptOut }
  | { readonly kind: 'until'; readonly optOut: OptOut; readonly untilMs: number };

function covers(optOut: OptOut, touch: { channel: Channel; category: Category; purpose: Purpose }): boolean {
  return (
    (optOut.channel === undefined || optOut.channel === touch.channel) &&
    (optOut.category === undefined || optOut.category === touch.category) &&
    (optOut.purpose === undefined || optOut.purpose === touch.purpose)
  );
}

/**
 * The opt-out that stops this touch, if any: a permanent one wins; otherwise the temporary one that lasts
 * longest. An opt-out recorded after `now` still counts: the person has said no, whatever our clock says.
 */
export function applicableOptOut(
  optOuts: readonly OptOut[],
  touch: { channel: Channel; category: Category; purpose: Purpose },
  nowMs: number,
): OptOutVerdict {
  let verdict: OptOutVerdict = { kind: 'none' };
  for (const optOut of optOuts) {
    if (!covers(optOut, touch)) continue;
    if (optOut.until === undefined) return { kind: 'permanent', optOut };
    const untilMs = toEpochMs(optOut.until);
    if (untilMs <= nowMs) continue;
    if (verdict.kind === 'none' || (verdict.kind === 'until' && untilMs > verdict.untilMs)) {
      verdict = { kind: 'until', optOut, untilMs };
    }
  }
  return verdict;
}
