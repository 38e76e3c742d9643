import type { BundleOptions } from '@temporalio/worker';

/**
 * The workflow bundle as Recontact builds it: smaller in both threads that hold it, and the same
 * code. The bundle string lives in the worker's main thread and again in its workflow thread.
 *
 * - **Source map without sources.** The SDK needs an inline source map (it maps workflow stack
 *   traces, e.g. the Temporal UI's "Stack Trace", back to `workflows/*.ts` lines); it does not need
 *   the sources themselves inside it. Measured on 30 Nov 2026: 3.52 M characters with them,
 *   1.90 M without (the code is 1.32 M of either).
 * - **ASCII only.** V8 keeps a string with one character above U+007F at two bytes per character.
 *   The bundle's 89 such characters (dashes and arrows in comments and messages, zod's `✖`) made all
 *   of it two-byte; each is written as its `\uXXXX` escape instead, which means the same thing in
 *   string, template and regular-expression literals and changes nothing in comments.
 */
export const compactBundleOptions: Pick<BundleOptions, 'webpackConfigHook'> = {
  webpackConfigHook: (config) => ({ ...config, devtool: 'inline-nosources-source-map' }),
};

/** `code` with every character above U+007F written as its `\uXXXX` escape (UTF-16 units, as JavaScript reads them). */
export function asciiOnly(code: string): string {
  return code.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
