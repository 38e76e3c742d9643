/**
 * The child process of `bundleWorkflowsInChildProcess`: bundles the workflows folder given as its
 * argument and sends the code (or the failure) to its parent, with the bundler's log lines.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import type { BundleMessage } from './workflow-bundle';
import { asciiOnly, compactBundleOptions } from './compact-bundle';

const send = (message: BundleMessage): Promise<void> =>
  new Promise((resolve, reject) =>
    process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );

const at =
  (level: LogLevel) =>
  (message: string, meta?: LogMetadata): void =>
    void send({ kind: 'log', level, message, ...(meta === undefined ? {} : { meta }) });

const logger: Logger = {
  log: (level, message, meta) => at(level)(message, meta),
  trace: at('TRACE'),
  debug: at('DEBUG'),
  info: at('INFO'),
  warn: at('WARN'),
  error: at('ERROR'),
};

async function main(): Promise<void> {
  const [workflowsPath, failureConverterPath] = process.argv.slice(2);
  if (workflowsPath === undefined)
    throw new Error('usage: bundle-workflows-process <workflows path> [failure converter path]');
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger,
    ...compactBundleOptions,
    ...(failureConverterPath !== undefined ? { failureConverterPath } : {}),
  });
  await send({ kind: 'bundle', code: asciiOnly(code) });
}

main().then(
  () => process.disconnect?.(),
  async (error: unknown) => {
    await send({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
