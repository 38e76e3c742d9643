import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret kept in DATA_DIR/<name> (mode 0600), created at random on first use, so a local
 * install keeps the same value across restarts without anyone choosing one. Processes sharing
 * DATA_DIR (worker replicas on one volume) agree: the file appears whole or not at all, and
 * whoever comes second reads the first one's value.
 */
export function persistedSecret(
  dataDir: string,
  name: string,
  /** The file's content when this process creates it. @default 24 random bytes, base64url */
  create: () => string = () => `${randomBytes(24).toString('base64url')}\n`,
): { value: string; file: string; /** True when this call made the file. */ created: boolean } {
  const file = path.resolve(dataDir, name);
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, create(), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, file);
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(draft, { force: true });
    }
  }
  return { value: readFileSync(file, 'utf8').trim(), file, created };
}
