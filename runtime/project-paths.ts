import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The folder holding Recontact's package.json, found from this file whether it runs from source or dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === 'recontact') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find Recontact's package.json above ${__dirname}`);
    dir = parent;
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/**
 * The git-ignored cache for provisioned Temporal binaries.
 * @default "<project>/.cache", or `RECONTACT_CACHE_DIR`
 */
export function cacheDir(): string {
  return process.env.RECONTACT_CACHE_DIR ?? path.join(projectRoot(), '.cache');
}
