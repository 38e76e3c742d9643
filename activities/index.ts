/**
 * Everything activities need from the outside world, handed in by the worker (and by tests,
 * which pass real local servers). Each channel or store adds its dependency here.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ActivityDeps {}

/** Builds every activity the worker registers. */
export function createActivities(_deps: ActivityDeps = {}) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
