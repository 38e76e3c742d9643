import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * PostgreSQL's server binaries (initdb, pg_ctl) for the store's throwaway test cluster:
 * `PG_BIN_DIR` when set, else Debian's (`apt-get install postgresql`) newest
 * `/usr/lib/postgresql/N/bin`, else `initdb` on PATH.
 */
export function findPostgresBinDir(): string | undefined {
  const explicit = process.env.PG_BIN_DIR;
  if (explicit !== undefined && existsSync(path.join(explicit, 'initdb'))) return explicit;
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => existsSync(path.join(debianRoot, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return path.join(debianRoot, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')))
      return dir;
  }
  return undefined;
}
