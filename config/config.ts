import { z } from 'zod';

/**
 * Everything Recontact reads from the environment, in one schema.
 * The README's configuration table lists the same variables with the same defaults.
 */

const port = z.coerce.number().int().min(1).max(65535);

/** `host:port` as gRPC expects it; a URL or a port outside 1–65535 is a mistake worth stopping for. */
const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected host:port, e.g. localhost:7233')
  .refine((value) => {
    const portNumber = Number(value.slice(value.lastIndexOf(':') + 1));
    return portNumber >= 1 && portNumber <= 65535;
  }, 'port must be between 1 and 65535');

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

export const configSchema = z.object({
  /** Address of an existing Temporal server or Temporal Cloud. Unset: `npm start` runs the embedded dev server. */
  TEMPORAL_ADDRESS: hostPort.optional(),
  /** @default "recontact" */
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{2,255}$/, 'letters, digits, dot, dash or underscore')
    .default('recontact'),
  /** @default "recontact" — prefix of every task queue this deployment polls. */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('recontact'),
  /** Temporal Cloud API key (sent as a bearer token; implies TLS). */
  TEMPORAL_API_KEY: optionalString,
  /** Client certificate and key for mTLS (PEM file paths). */
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  /** Force TLS on or off; default: on when an API key or a client certificate is set. */
  TEMPORAL_TLS: booleanFlag.optional(),
  /** Port of the embedded dev server's gRPC frontend. @default 7233 */
  DEV_SERVER_PORT: port.default(7233),
  /** Port of the embedded dev server's Web UI. @default 8233 */
  DEV_SERVER_UI_PORT: port.default(8233),
  /** Where the embedded dev server keeps its SQLite file. @default "data" */
  DATA_DIR: z.string().min(1).default('data'),
  /** HTTP API listen address. @default "127.0.0.1" */
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** HTTP API port. @default 3000 */
  API_PORT: port.default(3000),
  /** Bearer tokens accepted by the HTTP API, comma separated. Unset: `npm start` generates one and prints it. */
  API_TOKENS: optionalString.transform((value) =>
    value === undefined
      ? undefined
      : value
          .split(',')
          .map((token) => token.trim())
          .filter((token) => token.length > 0),
  ),
  /** Seconds a stopping worker lets in-flight activities finish before cancelling them. @default 30 */
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** @default "info" */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** A configuration problem: every wrong variable is named in the one message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment. Throws a {@link ConfigError} that lists every problem at once.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const known = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, emptyToUndefined(env[key])]),
  );
  const result = configSchema.safeParse(known);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  const config = result.data;
  const problems: string[] = [];
  if ((config.TEMPORAL_TLS_CERT_PATH === undefined) !== (config.TEMPORAL_TLS_KEY_PATH === undefined)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: set both or neither');
  }
  if (config.DEV_SERVER_PORT === config.DEV_SERVER_UI_PORT) {
    problems.push('DEV_SERVER_UI_PORT: must differ from DEV_SERVER_PORT');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** True when the deployment talks to a server it does not run itself. */
export function usesExternalTemporal(config: Config): boolean {
  return config.TEMPORAL_ADDRESS !== undefined;
}
