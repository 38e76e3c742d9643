import type { Logger, LogLevel } from '@temporalio/common';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { redactLogValue, redactText } from '../runtime/log-redaction';
import { jsonLogLine } from './json-log-line';

/**
 * What the SDK says on every start and stop of every worker (four per process, three of them
 * activity-only by design, which the SDK warns about). Routine here: debug, not info or warn.
 */
const ROUTINE_MESSAGES = new Set([
  'Worker state changed',
  'No workflows registered, not polling for workflow tasks',
  'No Nexus services registered, not polling for Nexus tasks',
]);

/**
 * The SDK's logger at LOG_LEVEL, with its routine start/stop messages at debug, and every message
 * and field redacted: a failure names its recipient ("sms: +1… may not be contacted"), and what
 * workflows and activities log goes through here too. Written to stderr as JSON lines, each with
 * the run's `workflowId` and `runId` when it is about a run (worker/json-log-line.ts). `write`
 * replaces the stream (tests).
 */
export function sdkLogger(
  level: LogLevel,
  write: (entry: LogEntry) => void = (entry) => process.stderr.write(jsonLogLine(entry)),
): Logger {
  const logger = new DefaultLogger(level, write);
  return redacting(
    relevel(logger, (messageLevel, message) =>
      ROUTINE_MESSAGES.has(message) && (messageLevel === 'INFO' || messageLevel === 'WARN')
        ? 'DEBUG'
        : messageLevel,
    ),
  );
}

/** For the workflow bundler, which logs webpack's whole module list at info. */
export function infoAsDebug(logger: Logger): Logger {
  return relevel(logger, (level) => (level === 'INFO' ? 'DEBUG' : level));
}

function relevel(logger: Logger, levelOf: (level: LogLevel, message: string) => LogLevel): Logger {
  return wrap((level, message, meta) => logger.log(levelOf(level, message), message, meta));
}

function redacting(logger: Logger): Logger {
  return wrap((level, message, meta) =>
    logger.log(
      level,
      redactText(message),
      meta === undefined ? undefined : (redactLogValue(meta) as Record<string, unknown>),
    ),
  );
}

function wrap(log: (level: LogLevel, message: string, meta?: Record<string, unknown>) => void): Logger {
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
