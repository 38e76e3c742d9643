import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret kept in DATA_DIR/<name> (mode 0600), created at random on first use, so a local
 * install keeps the same value across restarts without anyone choosing one.
 */
export function persistedSecret(dataDir: string, name: string): { value: string; file: string } {
  const file = path.resolve(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return { value: readFileSync(file, 'utf8').trim(), file };
}
