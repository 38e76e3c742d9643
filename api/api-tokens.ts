import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config';

/**
 * The bearer tokens the API accepts: API_TOKENS when set; otherwise one random token kept in
 * DATA_DIR/api-token (mode 0600) so it stays the same across restarts of a local install.
 */
export function resolveApiTokens(config: Config): { tokens: string[]; generatedFile?: string } {
  if (config.API_TOKENS !== undefined && config.API_TOKENS.length > 0) return { tokens: config.API_TOKENS };
  const file = path.resolve(config.DATA_DIR, 'api-token');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return { tokens: [readFileSync(file, 'utf8').trim()], generatedFile: file };
}
