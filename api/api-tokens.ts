import type { Config } from '../config/config';
import { persistedSecret } from '../config/persisted-secret';

/**
 * The bearer tokens the API accepts: API_TOKENS when set; otherwise one random token kept in
 * DATA_DIR/api-token so it stays the same across restarts of a local install.
 */
export function resolveApiTokens(config: Config): { tokens: string[]; generatedFile?: string } {
  if (config.API_TOKENS !== undefined && config.API_TOKENS.length > 0) return { tokens: config.API_TOKENS };
  const { value, file } = persistedSecret(config.DATA_DIR, 'api-token');
  return { tokens: [value], generatedFile: file };
}
