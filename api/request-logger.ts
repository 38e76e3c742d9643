import type { FastifyServerOptions } from 'fastify';
import { redactLogValue, redactText } from '../runtime/log-redaction';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/**
 * The API's logger: Fastify's request log with every string redacted (runtime/log-redaction.ts).
 * The request serializer writes the URL redacted (signatures, tokens, numbers, addresses out), and
 * every argument of every log call goes through the same redaction before pino sees it.
 *
 * @example
 * Fastify({ logger: apiLoggerOptions('info') });
 */
export function apiLoggerOptions(level: string, stream?: LoggerOptions['stream']): LoggerOptions {
  return {
    level,
    ...(stream !== undefined ? { stream } : {}),
    serializers: {
      req: (request) => ({
        method: request.method,
        url: redactText(request.url ?? ''),
        remoteAddress: request.socket?.remoteAddress,
      }),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => redactLogValue(arg)) as Parameters<typeof method>);
      },
    },
  } as LoggerOptions;
}
