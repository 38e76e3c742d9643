import { z } from 'zod';
import { parsePayloadKeys } from './payload-keys';

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

/** Requests per minute for a rate limit; 0 turns that limit off. */
const perMinute = z.coerce.number().int().min(0).max(1_000_000);

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
  /**
   * Workflow runs a worker keeps in memory between tasks. A sleeping reminder or callback needs none:
   * an evicted run is replayed from its history when its timer fires. Bounds the worker's memory:
   * each cached run holds its own copy of the workflow modules, ~70 KB since workflows evaluate no
   * zod (the pending benchmark reports it), and its state; an evicted run's next task costs a replay. Raise it to about twice
   * the conversations a worker has in flight at once.
   * @default 50
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(50),
  /**
   * Old-space heap limit (MB) of the thread that runs workflow code. Without one, V8 sizes it from
   * the machine's memory and lets the garbage of replayed and evicted runs grow for a long time.
   * 0 leaves V8's default. @default 64 + 1 × WORKER_MAX_CACHED_WORKFLOWS
   */
  WORKER_WORKFLOW_HEAP_MB: z.coerce.number().int().min(0).max(65_536).optional(),
  /**
   * Threads that run workflow code in a worker process. Every workflow task (a fired timer, a replay
   * of an evicted run) runs on one of them; the SDK's default of 1 puts them all on one core. Each
   * thread has its own heap of WORKER_WORKFLOW_HEAP_MB. @default 1
   */
  WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  /** Concurrent polls for workflow tasks per worker process (the SDK's default). @default 10 */
  WORKER_WORKFLOW_TASK_POLLERS: z.coerce.number().int().min(2).max(100).default(10),
  /** Concurrent polls for activity tasks per worker and task queue (the SDK's default). @default 10 */
  WORKER_ACTIVITY_TASK_POLLERS: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Workflow tasks one worker process takes on at once. Each waits its turn for the workflow thread
   * (WORKER_WORKFLOW_THREADS); one that waits past its 10 s task timeout is given to a worker again
   * and replayed from the start, so more tasks than the thread can finish in a few seconds only make
   * a burst (reminders firing together) cost more: the SDK's 40 cost 3× the CPU per reminder of 10 in
   * the timers benchmark (docs/reminders.md, "What one send costs"). @default 10
   */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).default(10),
  /** Seconds a stopping worker lets in-flight activities finish before cancelling them. @default 30 */
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** @default "info" */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),

  /**
   * Public base URL of the HTTP API as Twilio reaches it: webhook URLs are built from it and
   * Twilio signatures are checked against it. @default "http://127.0.0.1:<API_PORT>"
   */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  /** Twilio credentials; both unset → the built-in Twilio sandbox. */
  TWILIO_ACCOUNT_SID: optionalString.pipe(
    z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits')
      .optional(),
  ),
  TWILIO_AUTH_TOKEN: optionalString,
  /** Sender for SMS (E.164 long code, toll-free or short code). @default "+15005550006" (sandbox) */
  TWILIO_SMS_FROM: z
    .string()
    .regex(/^\+[1-9]\d{4,14}$|^\d{3,8}$/, 'expected E.164, e.g. +15005550006')
    .default('+15005550006'),
  /** Caller id for calls. @default "+15005550006" (sandbox) */
  TWILIO_VOICE_FROM: z
    .string()
    .regex(/^\+[1-9]\d{4,14}$/, 'expected E.164, e.g. +15005550006')
    .default('+15005550006'),
  /** Port of the built-in Twilio sandbox (and its outbox page) when no credentials are set. @default 3010 */
  SANDBOX_PORT: port.default(3010),
  /**
   * Only for a demo container (docker-compose's `demo` profile): lets `recontact start` run the API and
   * the Twilio sandbox on API_HOST beyond loopback with the sandbox's credentials, because the host
   * publishes those ports on its own loopback. @default false
   */
  SANDBOX_IN_CONTAINER: booleanFlag.default(false),
  /** Port of the built-in SMTP sink when SMTP_URL is unset. @default 2525 */
  SANDBOX_SMTP_PORT: port.default(2525),
  /** SMTP relay, e.g. smtp://user:pass@smtp.example.com:587 or smtps://…; unset → the built-in SMTP sink. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected smtp://… or smtps://…' }).optional(),
  /** From header of e-mails. @default "Recontact <no-reply@recontact.invalid>" */
  EMAIL_FROM: z.string().min(3).default('Recontact <no-reply@recontact.invalid>'),
  /** Pooled SMTP connections. @default 5 (nodemailer's default) */
  SMTP_POOL_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  /** PostgreSQL for the contact store, e.g. postgres://user:pass@host:5432/recontact; unset → SQLite. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'expected postgres://…' }).optional(),
  /** SQLite file of the contact store when DATABASE_URL is unset. @default "<DATA_DIR>/recontact.sqlite" */
  SQLITE_FILE: optionalString,
  /**
   * Provider pacing, enforced by Temporal task-queue rate limits across all workers.
   * Defaults: Twilio's 1 call/s per account, 1 SMS segment/s per US long code.
   */
  PACING_SMS_PER_SECOND: z.coerce.number().positive().max(1000).default(1),
  PACING_VOICE_PER_SECOND: z.coerce.number().positive().max(1000).default(1),
  PACING_EMAIL_PER_SECOND: z.coerce.number().positive().max(1000).default(10),
  /**
   * After an ambiguous call request (a 5xx or a timeout: Twilio may have placed the call), how
   * long the retry waits for that call's `initiated` status webhook before it asks for the call
   * again. Longer than the provider's webhook latency, or the agent's phone may ring twice. @default 5000
   */
  CALL_REPORT_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(5000),

  /** Contact rules (calling windows, holidays, caps, ladders) as JSON; unset → the shipped defaults. */
  CONTACT_POLICY_FILE: optionalString,
  /** Message template overrides and additions as JSON; unset → the shipped texts. */
  TEMPLATES_FILE: optionalString,
  /** Rules for abandoned calls (ignore, SMS, callback, recovery; TTLs; queue skills) as JSON; unset → the shipped defaults. */
  CALLBACK_RULES_FILE: optionalString,
  /** Seconds an agent has to accept an offered callback before it goes to the next agent. @default 30 */
  CALLBACK_OFFER_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  /** An agent who spoke with the customer within this many hours is preferred for their next callback. @default 168 (7 days) */
  CALLBACK_OWNER_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 90)
    .default(168),
  /** Seconds a due callback waits for that agent alone while they are signed in, before anyone may take it. @default 120 */
  CALLBACK_OWNER_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  /** Minutes from due to called in a normal queue, for the estimate in the acknowledgement. @default 15 */
  CALLBACK_AVERAGE_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(15),
  /**
   * A port for a bare `/metrics` endpoint (on API_HOST) besides the API's own: set it on
   * `recontact worker` processes, which have no API. Unset → none.
   */
  METRICS_PORT: port.optional(),
  /**
   * `host:port` where the Temporal SDK's own runtime metrics (task slots, poll and schedule-to-start
   * latencies, workflow and activity completions, sticky cache) are served for Prometheus at
   * `/metrics`, one endpoint per process. Unset → not exported.
   * @example 127.0.0.1:9465
   */
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9465')
    .optional(),
  /** What one answered call is worth, for the value recovered in the KPI report (docs/kpi.md). @default 5 */
  KPI_VALUE_PER_ANSWERED_CALL: z.coerce.number().min(0).max(1_000_000).default(5),
  /** Days after a resolved callback in which the customer coming back counts as a re-contact. @default 7 */
  KPI_RECONTACT_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Price of one SMS segment when the provider reports none, for the KPI report's cost (docs/kpi.md). @default 0.0083 */
  KPI_SMS_PRICE_PER_SEGMENT: z.coerce.number().min(0).max(1_000).default(0.0083),
  /** Price of one started call minute (per leg) when the provider reports none (docs/kpi.md). @default 0.028 */
  KPI_CALL_PRICE_PER_MINUTE: z.coerce.number().min(0).max(1_000).default(0.028),
  /** One pending callback per number per queue (true) or per number (false). @default false */
  CALLBACK_PER_QUEUE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** Who gets the e-mail alert when a low survey score sends a customer to the rescue desk; unset → no alert. */
  RESCUE_SUPERVISOR_EMAIL: z.email().optional(),
  /** The name customers see in messages and hear in voicemails. @default "Recontact" */
  COMPANY_NAME: z.string().min(1).max(60).default('Recontact'),
  /**
   * Key of the customer hashes in workflow ids and search attributes. Unset: one random key kept
   * in DATA_DIR/customer-key-secret. Set it (the same everywhere) when workers run on several machines.
   */
  CUSTOMER_KEY_SECRET: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),

  /**
   * `local` (the default) creates what a local install lacks — an API token, a payload key — in
   * DATA_DIR; `production` refuses to start without them being configured.
   * @default "local"
   */
  RECONTACT_MODE: z.enum(['local', 'production']).default('local'),
  /**
   * Keys of the payload codec that encrypts every workflow payload (AES-256-GCM), as
   * `id:base64key` entries, comma separated; the first encrypts, all decrypt (rotation: put the new
   * key first, keep the old ones). Unset: PAYLOAD_KEYS_FILE, or in local mode a key generated into
   * DATA_DIR/payload-keys.
   * @example "k2:<openssl rand -base64 32>,k1:<the previous key>"
   */
  PAYLOAD_KEYS: optionalString,
  /** A file with the same entries as PAYLOAD_KEYS, one per line (`#` comments). */
  PAYLOAD_KEYS_FILE: optionalString,
  /**
   * Origins of the Temporal Web UI allowed to call the codec endpoint (/codec/decode), comma
   * separated. @default "http://localhost:<DEV_SERVER_UI_PORT>,http://127.0.0.1:<DEV_SERVER_UI_PORT>"
   */
  CODEC_CORS_ORIGINS: optionalString.transform((value) =>
    value === undefined
      ? undefined
      : value
          .split(',')
          .map((origin) => origin.trim().replace(/\/+$/, ''))
          .filter((origin) => origin.length > 0),
  ),

  /**
   * Rate limits, requests per minute (0: no limit); over one → 429 with Retry-After. docs/http-api.md
   * ("Rate limits") explains each default against what the test suite and a busy centre send.
   * @default 3000 per API bearer token (50/s, the import command's default pace)
   */
  RATE_LIMIT_API_PER_TOKEN: perMinute.default(3000),
  /** @default 6000 per address on /v1 (two integrations behind one address at full pace) */
  RATE_LIMIT_API_PER_ADDRESS: perMinute.default(6000),
  /** @default 6000 per address on the Twilio webhooks (100/s: 20× what 1 SMS/s plus 1 call/s cause) */
  RATE_LIMIT_WEBHOOKS_PER_ADDRESS: perMinute.default(6000),
  /** @default 300 per address on reminder links (customers behind one carrier NAT, mail scanners) */
  RATE_LIMIT_LINKS_PER_ADDRESS: perMinute.default(300),
  /** @default 300 per address on the desk sign-in (a shift of 500 agents behind one NAT in 2 minutes) */
  RATE_LIMIT_DESK_SIGNIN_PER_ADDRESS: perMinute.default(300),
  /** @default 600 per desk token (an agent's page sends about 10 a minute) */
  RATE_LIMIT_DESK_PER_TOKEN: perMinute.default(600),
  /** @default 12000 per address on the desk (500 agents behind one NAT at twice their usual pace) */
  RATE_LIMIT_DESK_PER_ADDRESS: perMinute.default(12_000),
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
  if ((config.TWILIO_ACCOUNT_SID === undefined) !== (config.TWILIO_AUTH_TOKEN === undefined)) {
    problems.push('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: set both (real Twilio) or neither (sandbox)');
  }
  if (config.DEV_SERVER_PORT === config.DEV_SERVER_UI_PORT) {
    problems.push('DEV_SERVER_UI_PORT: must differ from DEV_SERVER_PORT');
  }
  if (config.PAYLOAD_KEYS !== undefined) {
    try {
      parsePayloadKeys(config.PAYLOAD_KEYS);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (
    config.RECONTACT_MODE === 'production' &&
    config.PAYLOAD_KEYS === undefined &&
    config.PAYLOAD_KEYS_FILE === undefined
  ) {
    problems.push('PAYLOAD_KEYS or PAYLOAD_KEYS_FILE: required when RECONTACT_MODE=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The public base URL webhooks are built from and signatures checked against (no trailing slash). */
export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://127.0.0.1:${config.API_PORT}`).replace(/\/+$/, '');
}

/** True when no Twilio credentials are set: the built-in sandbox stands in for Twilio. */
export function usesTwilioSandbox(config: Config): boolean {
  return config.TWILIO_ACCOUNT_SID === undefined;
}

/** True when the deployment talks to a server it does not run itself. */
export function usesExternalTemporal(config: Config): boolean {
  return config.TEMPORAL_ADDRESS !== undefined;
}

/** Origins of the Temporal Web UI that may call the codec endpoint. */
export function codecCorsOrigins(config: Config): string[] {
  return (
    config.CODEC_CORS_ORIGINS ?? [
      `http://localhost:${config.DEV_SERVER_UI_PORT}`,
      `http://127.0.0.1:${config.DEV_SERVER_UI_PORT}`,
    ]
  );
}
