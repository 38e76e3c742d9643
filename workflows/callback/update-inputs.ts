import type * as UpdateInputs from '../../domain/callbacks/callback-update-inputs';

/**
 * The schemas of the callback's update arguments, loaded when the run first validates or applies an
 * update: a `require` inside the function, so webpack evaluates zod and the schemas only then, and a
 * run that waits without updates (most of them) does not carry them in the worker's cache.
 */
export function updateInputs(): typeof UpdateInputs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../domain/callbacks/callback-update-inputs') as typeof UpdateInputs;
}
