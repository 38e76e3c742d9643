// The test bundle: every product workflow plus the few that only tests use.
export * from '../../workflows';
export { waitThenComplete } from './wait-then-complete';
export { sendSmsOnce, placeCallOnce, callAndWatch, askAndWaitForReply } from './channel-probes';
