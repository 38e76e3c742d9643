import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { persistedSecret } from './persisted-secret';
import type { PayloadKey } from '../codec/payload-codec';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** Where a local install keeps its generated payload key, inside DATA_DIR. */
export const GENERATED_PAYLOAD_KEYS_FILE = 'payload-keys';

/**
 * Parses `id:base64key` entries (comma or newline separated, `#` starts a comment): the first
 * entry encrypts, all of them decrypt. Throws naming the entry and the rule it breaks.
 *
 * @example
 * parsePayloadKeys('k2:3q2+7w…=, k1:q83vEj…=') // k2 encrypts, k1 still decrypts
 */
export function parsePayloadKeys(text: string, source = 'PAYLOAD_KEYS'): PayloadKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
  if (entries.length === 0)
    throw new Error(`${source}: no key (expected id:base64key, e.g. k1:<32 bytes in base64>)`);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    const encoded = colon < 0 ? '' : entry.slice(colon + 1).trim();
    const where = `${source} entry ${index + 1}`;
    if (!KEY_ID.test(id))
      throw new Error(`${where}: expected id:base64key with an id of letters, digits, . _ or -`);
    if (!KEY_BASE64.test(encoded)) {
      throw new Error(
        `${where} (${id}): the key must be 32 random bytes in base64 (openssl rand -base64 32)`,
      );
    }
    if (seen.has(id)) throw new Error(`${where}: key id ${id} appears twice`);
    seen.add(id);
    return { id, key: Buffer.from(encoded, 'base64') };
  });
}

/** The settings that name the payload keys (a part of `Config`, declared here so config.ts can import this file). */
export interface PayloadKeySettings {
  PAYLOAD_KEYS?: string | undefined;
  PAYLOAD_KEYS_FILE?: string | undefined;
  DATA_DIR: string;
  RECONTACT_MODE: 'local' | 'production';
}

/**
 * The payload keys of this deployment: PAYLOAD_KEYS, else PAYLOAD_KEYS_FILE, else (local mode
 * only — loadConfig refuses production mode without one of the two) a key generated once into
 * DATA_DIR/payload-keys, announced through `log` when it is created.
 */
export function resolvePayloadKeys(
  config: PayloadKeySettings,
  log: (line: string) => void = (line) => console.error(line),
): PayloadKey[] {
  if (config.PAYLOAD_KEYS !== undefined) return parsePayloadKeys(config.PAYLOAD_KEYS);
  if (config.PAYLOAD_KEYS_FILE !== undefined) {
    return parsePayloadKeys(
      readKeyFile(config.PAYLOAD_KEYS_FILE),
      `PAYLOAD_KEYS_FILE=${config.PAYLOAD_KEYS_FILE}`,
    );
  }
  if (config.RECONTACT_MODE === 'production') {
    throw new Error('PAYLOAD_KEYS or PAYLOAD_KEYS_FILE: required when RECONTACT_MODE=production');
  }
  // Processes sharing DATA_DIR (worker replicas on one volume) agree on the one file.
  const { value, file, created } = persistedSecret(
    config.DATA_DIR,
    GENERATED_PAYLOAD_KEYS_FILE,
    () =>
      '# Payload encryption keys (id:base64key); the first encrypts. Generated for a local install.\n' +
      `local-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}\n`,
  );
  if (created) {
    log(
      `Payload key:       created ${file} (local mode; set PAYLOAD_KEYS or PAYLOAD_KEYS_FILE to choose, keep it: ` +
        'runs encrypted with it cannot be read without it)',
    );
  }
  return parsePayloadKeys(value, file);
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`PAYLOAD_KEYS_FILE=${file}: ${(error as Error).message}`);
  }
}
