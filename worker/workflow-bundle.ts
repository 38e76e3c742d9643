import { fork } from 'node:child_process';
import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';

/** What the bundling process reports back. */
export type BundleMessage =
  | { kind: 'log'; level: LogLevel; message: string; meta?: LogMetadata }
  | { kind: 'bundle'; code: string }
  | { kind: 'error'; message: string };

/**
 * Bundles `workflows/` in a short-lived child process and returns the code. Webpack, swc and the
 * module graph they load stay in memory after an in-process bundle: measured on the pending
 * benchmark, the idle `recontact worker` sat at ~485 MB RSS bundling in process and ~295 MB with
 * the same bundle built elsewhere. A child process gives all of it back to the system when it
 * exits; start-up takes about as long as before.
 */
export async function bundleWorkflowsInChildProcess(
  workflowsPath: string,
  logger: Logger,
  /** The failure converter the workflow sandbox loads (the payload codec's; codec/data-converter.ts). */
  failureConverterPath?: string,
): Promise<{ code: string }> {
  // `fork` runs the child with this process's execArgv (`--import tsx` under tsx, nothing in dist/).
  const args = failureConverterPath === undefined ? [workflowsPath] : [workflowsPath, failureConverterPath];
  const child = fork(require.resolve('./bundle-workflows-process'), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let code: string | undefined;
    let failure: string | undefined;
    child.on('message', (message: BundleMessage) => {
      if (message.kind === 'log') logger.log(message.level, message.message, message.meta);
      else if (message.kind === 'bundle') code = message.code;
      else failure = message.message;
    });
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => {
      if (code !== undefined) resolve({ code });
      else
        reject(
          new Error(
            `bundling workflows failed: ${failure ?? `the bundling process exited with ${exitCode ?? signal}`}`,
          ),
        );
    });
  });
}
