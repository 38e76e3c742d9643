import fc from 'fast-check';
import { frequencyCapBlocks } from '../../../domain/policy';
import { capArb, countAt, logAt, pastTouchArb, touchArb } from './support/contact-history';
import { ensure } from './support/ensure';

const now = Date.parse('2025-01-07T10:00:00Z');

describe('frequency caps', () => {
  it('release exactly when every cap counts fewer touches than its maximum', () => {
    fc.assert(
      fc.property(
        fc.array(capArb, { minLength: 1, maxLength: 3 }),
        touchArb,
        fc.array(pastTouchArb, { maxLength: 12 }),
        (caps, touch, past) => {
          const log = logAt(now, past);
          const blocks = frequencyCapBlocks(caps, touch, log, now);
          const release = blocks[0]?.releaseMs ?? now;
          for (const cap of caps) {
            ensure(
              countAt(cap, touch, log, release) < cap.max,
              () => `${cap.name} still full at the release`,
            );
          }
          if (blocks.length > 0) {
            ensure(release > now, () => 'blocked, yet released already');
            ensure(
              caps.some((cap) => countAt(cap, touch, log, release - 1) >= cap.max),
              () => 'a cap released later than it had to',
            );
          }
        },
      ),
      { numRuns: 8_000 },
    );
  });
});
