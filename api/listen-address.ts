import { type Config, ConfigError, usesTwilioSandbox } from '../config/config';

/** Loopback addresses only: the whole 127.0.0.0/8 block, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  const ipv4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(bare.replace(/^::ffff:/, ''));
  return ipv4 !== null && ipv4.slice(1).every((part) => Number(part) <= 255);
}

/**
 * Throws when the API would listen beyond this machine while the Twilio sandbox stands in for
 * Twilio. Sandbox mode is a one-machine setup: its webhook key was made locally, not issued by
 * Twilio, and sits in DATA_DIR; an API reachable from elsewhere in that mode is a mistake to stop.
 */
export function assertApiHostFitsCredentials(config: Config): void {
  if (!usesTwilioSandbox(config) || isLoopbackHost(config.API_HOST) || config.SANDBOX_IN_CONTAINER) return;
  throw new ConfigError([
    `API_HOST=${JSON.stringify(config.API_HOST)}: the HTTP API refuses to listen beyond loopback with the ` +
      "Twilio sandbox's credentials (no TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN set). Keep API_HOST=127.0.0.1, " +
      'or set real Twilio credentials to expose the API (SANDBOX_IN_CONTAINER=true is for the compose demo only).',
  ]);
}
