import fc from 'fast-check';
import { PURPOSES, priorityInputSchema, priorityScore } from '../../../domain/policy';
import { shippedPolicy } from './support/policies';

const rules = shippedPolicy.priority;
const score = (input: unknown) => priorityScore(priorityInputSchema.parse(input), rules);

describe('priority score', () => {
  it('adds tier, time waited since the first abandon, repeat abandons and recent complaints', () => {
    const result = score({
      kind: 'callback',
      tier: 'gold',
      now: '2025-01-07T10:30:00Z',
      originalAbandonAt: '2025-01-07T10:00:00Z',
      abandonCount: 2,
      complaints: [{ at: '2024-12-01T09:00:00Z' }, { at: '2024-01-01T09:00:00Z' }],
    });
    expect(result).toEqual({
      score: 60,
      breakdown: [
        { factor: 'tier', points: 20, detail: 'gold tier' },
        { factor: 'waited', points: 15, detail: 'waiting 30 min since the first abandon' },
        { factor: 'repeat-abandons', points: 10, detail: '1 repeat abandon' },
        { factor: 'rescue', points: 0, detail: 'not a rescue (callback)' },
        { factor: 'complaints', points: 15, detail: '1 complaint in 180 days' },
      ],
    });
  });

  it('keeps a repeat caller’s place: the original abandon time, not the latest, sets the waited points', () => {
    const base = { kind: 'callback', now: '2025-01-07T11:00:00Z', originalAbandonAt: '2025-01-07T10:00:00Z' };
    const newcomer = score({ ...base, originalAbandonAt: '2025-01-07T10:55:00Z' });
    expect(score({ ...base, abandonCount: 3 }).score).toBeGreaterThan(newcomer.score);
  });

  it('caps each factor and falls back to the default tier for an unknown one', () => {
    const result = score({
      kind: 'rescue',
      tier: 'diamond',
      now: '2025-01-07T10:00:00Z',
      originalAbandonAt: '2025-01-01T10:00:00Z',
      abandonCount: 10,
      complaints: Array.from({ length: 5 }, () => ({ at: '2025-01-01T10:00:00Z' })),
    });
    expect(result.breakdown).toEqual([
      { factor: 'tier', points: 0, detail: 'standard tier (unknown tier "diamond")' },
      { factor: 'waited', points: 60, detail: 'waiting 8640 min since the first abandon' },
      { factor: 'repeat-abandons', points: 30, detail: '9 repeat abandons' },
      { factor: 'rescue', points: 25, detail: 'rescue after a poor survey' },
      { factor: 'complaints', points: 30, detail: '5 complaints in 180 days' },
    ]);
    expect(result.score).toBe(145);
  });

  it('never lowers a waiting customer’s score as time passes, and the breakdown adds up to the score', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PURPOSES),
        fc.constantFrom('standard', 'silver', 'gold', 'platinum', 'unknown'),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (kind, tier, abandonCount, waitedMinutes, laterMinutes) => {
          const abandon = Date.UTC(2025, 0, 7, 9);
          const at = (minutes: number) => new Date(abandon + minutes * 60_000).toISOString();
          const input = { kind, tier, abandonCount, originalAbandonAt: at(0) };
          const earlier = score({ ...input, now: at(waitedMinutes) });
          const later = score({ ...input, now: at(waitedMinutes + laterMinutes) });
          const sum = earlier.breakdown.reduce((total, factor) => total + factor.points, 0);
          expect(later.score).toBeGreaterThanOrEqual(earlier.score);
          expect(Math.abs(earlier.score - sum)).toBeLessThanOrEqual(0.75);
          expect(Number.isInteger(earlier.score)).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
