import { z } from 'zod';
import { sandboxAuthToken } from '../runtime/sandbox-credentials';
import { startSandbox } from './start-sandbox';

/** The sandbox alone: `npx tsx sandbox/main.ts`. Same variable names as Recontact's configuration. */
const envSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3010),
  SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SANDBOX_STEP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  SANDBOX_INBOUND_SMS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The auth token is the installation's (DATA_DIR/sandbox-auth-token), so `recontact api` accepts its webhooks. */
  DATA_DIR: z.string().min(1).default('data'),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(
    Object.fromEntries(
      Object.entries(process.env).filter(([, value]) => value !== undefined && value !== ''),
    ),
  );
  if (!parsed.success) {
    console.error(`Invalid sandbox settings:\n${z.prettifyError(parsed.error)}`);
    process.exitCode = 2;
    return;
  }
  const env = parsed.data;
  const sandbox = await startSandbox({
    port: env.SANDBOX_PORT,
    smtpPort: env.SANDBOX_SMTP_PORT,
    stepDelayMs: env.SANDBOX_STEP_DELAY_MS,
    authToken: sandboxAuthToken(env),
    ...(env.SANDBOX_INBOUND_SMS_URL !== undefined ? { inboundSmsUrl: env.SANDBOX_INBOUND_SMS_URL } : {}),
  });
  console.log(
    `Twilio sandbox:    ${sandbox.url} (account ${sandbox.accountSid}, auth token in ${env.DATA_DIR}/sandbox-auth-token)`,
  );
  console.log(`Outbox:            ${sandbox.url}/sandbox/outbox.html (JSON ${sandbox.url}/sandbox/outbox)`);
  console.log(
    `SMTP sink:         ${sandbox.smtp.host}:${sandbox.smtp.port} (smtp://${sandbox.smtp.host}:${sandbox.smtp.port})`,
  );
  console.log('Ctrl-C stops it.');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
