/**
 * A constraint answers "the earliest instant at or after `fromMs` that I allow, up to `limitMs`" and
 * returns `fromMs` itself when it allows `fromMs`.
 */
export type InstantConstraint = (fromMs: number, limitMs: number) => number | null;

// Each round jumps to a window start of some constraint; this only bites on windows that never meet.
const MAX_ROUNDS = 10_000;

/**
 * The earliest instant at or after `fromMs` that every constraint allows, or null if there is none up to
 * `limitMs`.
 *
 * Why this finds the earliest: let t* be the true answer. Every constraint allows t*, so each one's answer
 * from any t ≤ t* is ≤ t*; the maximum of them is a new t ≤ t*. When all answer t itself, t is allowed by
 * all and, being ≤ t*, is t*.
 */
export function earliestCommonInstant(
  constraints: readonly InstantConstraint[],
  fromMs: number,
  limitMs: number,
): number | null {
  let candidate = fromMs;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    let latest = candidate;
    for (const constraint of constraints) {
      const next = constraint(latest, limitMs);
      if (next === null) return null;
      latest = next;
    }
    if (latest === candidate) return candidate;
    candidate = latest;
  }
  return null;
}
