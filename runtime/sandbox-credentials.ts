import type { Config } from '../config/config';
import { persistedSecret } from '../config/persisted-secret';

/** The account the Twilio sandbox accepts and reports: not a secret, Twilio's own format. */
export const SANDBOX_ACCOUNT_SID = `AC${'0'.repeat(32)}`;

/**
 * The Twilio sandbox's auth token for this installation: random, kept in DATA_DIR/sandbox-auth-token
 * (mode 0600). The sandbox signs webhooks with it and the API checks them with it, so `npm start`,
 * `recontact api` and `npx tsx sandbox/main.ts` agree when they share DATA_DIR, and nobody else can
 * forge a webhook by knowing the project's source.
 */
export function sandboxAuthToken(config: Pick<Config, 'DATA_DIR'>): string {
  return persistedSecret(config.DATA_DIR, 'sandbox-auth-token').value;
}
