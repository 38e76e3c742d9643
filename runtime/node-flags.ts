/**
 * The V8 young generation of every Recontact process: 2 MB semi-spaces (6 MB in all) instead of
 * Node 20's default of up to 16 MB each, which V8 grows to under load and keeps.
 *
 * Measured with `npm run bench -- --only pending` (30 Nov 2026, quiet 2-core machine, built
 * JavaScript as the Docker image runs it): `recontact worker` at 202 MB idle / 342 MB with 1,000
 * reminders pending / 353 MB with 3,000 without the flag; 198 / 293 / 298 MB with it on the workflow
 * thread only; **146 / 198 / 224 MB** with it on both threads. Starting and planning the 3,000 took
 * 109.5 s against 109.3 s: the extra scavenges cost no measurable throughput.
 *
 * V8 reads it when a thread's heap is set up, so the main thread needs it on node's command line:
 * `npm start`, `npm run recontact`, the `recontact` command's shebang and the Docker image's
 * entrypoint all pass it (test/unit/ci/node-flags.test.ts checks them). The worker also sets it for
 * its workflow thread (worker/create-worker.ts), however node was started. Other launchers:
 * `NODE_OPTIONS=--max-semi-space-size=2`.
 */
export const YOUNG_SEMI_SPACE_MB = 2;

/** The flags above, as node's command line takes them. */
export const RECONTACT_NODE_FLAGS = [`--max-semi-space-size=${YOUNG_SEMI_SPACE_MB}`];
