/**
 * A failing check for hot property loops: jest's `expect` costs tens of microseconds per call, which adds
 * up over a million generated cases. fast-check reports the counterexample; this adds what went wrong.
 */
export function ensure(condition: boolean, explain: () => string): asserts condition {
  if (!condition) throw new Error(explain());
}
