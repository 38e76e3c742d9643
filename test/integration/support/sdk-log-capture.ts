import { inspect } from 'node:util';
import { Runtime } from '@temporalio/worker';
import { sdkLogger } from '../../../worker/sdk-logger';

/**
 * What the Temporal SDK logs in this test file (workers, workflows, activities), at debug, through
 * the logger `npm start` installs. Import this module before any harness: the runtime takes the
 * first logger installed in a process, and the harness installs a quiet one otherwise.
 */
export const sdkLogLines: string[] = [];

Runtime.install({
  logger: sdkLogger('DEBUG', (entry) =>
    sdkLogLines.push(`[${entry.level}] ${entry.message} ${inspect(entry.meta ?? {}, { depth: 10 })}`),
  ),
});
