import { createDomainMetrics, type DomainMetrics } from '../metrics/domain-metrics';
import { readFileSync } from 'node:fs';
import type { Transporter } from 'nodemailer';
import { type Config, publicUrl, usesTwilioSandbox } from '../config/config';
import { loadContactPolicy } from '../config/contact-policy';
import { loadCallbackRules } from '../config/callback-rules';
import type { AbandonRules } from '../domain/callbacks';
import { persistedSecret } from '../config/persisted-secret';
import type { ContactPolicy } from '../domain/policy';
import { buildCatalog, defaultMessageCatalog, type MessageCatalog } from '../domain/templates';
import { createDatabase, createContactStore, migrateToLatest, type ContactStore } from '../store';
import { createTwilioClient, type TwilioClient } from '../providers/twilio-client';
import { createSmtpTransport } from '../providers/smtp-transport';
import type { ChannelDeps } from '../activities/channels';
import { createRenderMessage } from '../activities/channels/message-content';
import { SANDBOX_ACCOUNT_SID, sandboxAuthToken } from './sandbox-credentials';

export { SANDBOX_ACCOUNT_SID } from './sandbox-credentials';

/** Where the Twilio API and SMTP are for this process: the real ones, or the local sandbox. */
export interface ProviderEndpoints {
  /** Set when the Twilio sandbox stands in for Twilio. */
  sandboxUrl?: string;
  /** smtp:// URL of the relay (SMTP_URL) or of the sandbox's SMTP sink. */
  smtpUrl: string;
}

/** Everything outside Temporal that the worker and the API use, opened once per process. */
export interface Services {
  config: Config;
  policy: ContactPolicy;
  /** Rules for abandoned calls (CALLBACK_RULES_FILE). */
  callbackRules: AbandonRules;
  catalog: MessageCatalog;
  store: ContactStore;
  twilio: TwilioClient;
  twilioAuthToken: string;
  mailer: Transporter;
  customerKeySecret: string;
  publicUrl: string;
  channelDeps: ChannelDeps;
  /** This process's domain counters, served at `/metrics`. */
  metrics: DomainMetrics;
  close(): Promise<void>;
}

/** The endpoints a process uses when it did not start the sandbox itself. */
export function defaultEndpoints(config: Config): ProviderEndpoints {
  return {
    ...(usesTwilioSandbox(config) ? { sandboxUrl: `http://127.0.0.1:${config.SANDBOX_PORT}` } : {}),
    smtpUrl: config.SMTP_URL ?? `smtp://127.0.0.1:${config.SANDBOX_SMTP_PORT}`,
  };
}

/**
 * Validates the rules and templates (a bad file stops start-up with every problem named),
 * opens and migrates the contact store, and builds the Twilio and SMTP clients.
 */
export async function openServices(config: Config, endpoints: ProviderEndpoints): Promise<Services> {
  const policy = loadContactPolicy(config.CONTACT_POLICY_FILE);
  const callbackRules = loadCallbackRules(config.CALLBACK_RULES_FILE);
  const catalog = loadCatalog(config.TEMPLATES_FILE);
  const db = createDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    ...(config.SQLITE_FILE !== undefined ? { sqliteFile: config.SQLITE_FILE } : {}),
  });
  await migrateToLatest(db);
  const store = createContactStore(db);
  const credentials =
    config.TWILIO_ACCOUNT_SID !== undefined && config.TWILIO_AUTH_TOKEN !== undefined
      ? { accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN }
      : { accountSid: SANDBOX_ACCOUNT_SID, authToken: sandboxAuthToken(config) };
  const twilio = createTwilioClient({
    ...credentials,
    ...(endpoints.sandboxUrl !== undefined ? { sandboxUrl: endpoints.sandboxUrl } : {}),
    // 429s are retried by the library; 5xx and timeouts by the activity, which checks first.
    autoRetry: true,
    maxRetries: 3,
  });
  const mailer = createSmtpTransport({
    url: endpoints.smtpUrl,
    maxConnections: config.SMTP_POOL_CONNECTIONS,
    perSecond: config.PACING_EMAIL_PER_SECOND,
  });
  const base = publicUrl(config);
  const render = createRenderMessage(catalog, { company: config.COMPANY_NAME });
  const customerKeySecret =
    config.CUSTOMER_KEY_SECRET ?? persistedSecret(config.DATA_DIR, 'customer-key-secret').value;
  const metrics = createDomainMetrics();
  return {
    config,
    policy,
    metrics,
    callbackRules,
    catalog,
    store,
    twilio,
    twilioAuthToken: credentials.authToken,
    mailer,
    customerKeySecret,
    publicUrl: base,
    channelDeps: {
      twilio,
      mailer,
      store,
      render,
      smsFrom: config.TWILIO_SMS_FROM,
      voiceFrom: config.TWILIO_VOICE_FROM,
      emailFrom: config.EMAIL_FROM,
      publicUrl: base,
      policy,
      customerKeySecret,
      callReportWaitMs: config.CALL_REPORT_WAIT_MS,
      metrics,
    },
    async close() {
      mailer.close();
      await db.destroy();
    },
  };
}

function loadCatalog(file: string | undefined): MessageCatalog {
  if (file === undefined) return buildCatalog(defaultMessageCatalog);
  let overrides: unknown;
  try {
    overrides = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`TEMPLATES_FILE=${file}: ${(error as Error).message}`);
  }
  return buildCatalog(defaultMessageCatalog, overrides);
}
