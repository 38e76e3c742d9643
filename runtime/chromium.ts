import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { cacheDir } from './project-paths';
import { withFileLock } from './file-lock';
import { type Progress, stderrProgress } from './progress';
import { runCommand } from './run-command';

/**
 * The npm package that ships a headless Chromium (brotli-compressed, with the NSS libraries it
 * links against) inside the package itself: it installs from the registry like any other
 * package, where Playwright's own browser download needs a CDN this machine cannot reach.
 */
export const CHROMIUM_PACKAGE = '@sparticuz/chromium';

/** Where the browser came from, so errors and progress lines can say it. */
export type ChromiumSource = 'RECONTACT_CHROMIUM_PATH' | 'cache' | 'extracted';

export interface ResolvedChromium {
  executablePath: string;
  /** Variables the browser needs on top of the caller's: its bundled libraries and fonts. */
  env: Record<string, string>;
  source: ChromiumSource;
}

/**
 * Finds the headless Chromium the agent desk's browser tests drive. Order:
 * `RECONTACT_CHROMIUM_PATH` (any Chromium, e.g. Debian's /usr/bin/chromium) → the project cache →
 * extracting the `@sparticuz/chromium` devDependency into the cache (a few seconds, once).
 * Returns `undefined` when the package is not installed (`npm install --omit=dev`).
 */
export async function resolveChromium(
  env: NodeJS.ProcessEnv = process.env,
  progress: Progress = stderrProgress,
): Promise<ResolvedChromium | undefined> {
  const explicit = env.RECONTACT_CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '') {
    if (!existsSync(explicit)) throw new Error(`RECONTACT_CHROMIUM_PATH=${explicit}: no such file`);
    return { executablePath: explicit, env: {}, source: 'RECONTACT_CHROMIUM_PATH' };
  }
  const pkg = findChromiumPackage();
  if (pkg === undefined) return undefined;

  const dir = path.join(cacheDir(), 'chromium', pkg.version);
  if (isCacheValid(dir, pkg.version)) return cached(dir, 'cache');
  return withFileLock(
    `${dir}.lock`,
    async () => {
      // Another process (a second jest worker) may have finished while we waited for the lock.
      if (isCacheValid(dir, pkg.version)) return cached(dir, 'cache');
      await extract(pkg, dir, progress);
      return cached(dir, 'extracted');
    },
    { onWait: () => progress.step('another process is extracting Chromium; waiting for it') },
  );
}

export interface InstalledPackage {
  version: string;
  /** Folder holding chromium.br and the .tar.br archives. */
  bin: string;
}

/** The installed `@sparticuz/chromium`, or `undefined` (`npm install --omit=dev`). */
export function findChromiumPackage(): InstalledPackage | undefined {
  let dir: string;
  try {
    // The entry file's folder depends on the release (build/, build/cjs/); its package.json is above.
    dir = path.dirname(require.resolve(CHROMIUM_PACKAGE));
  } catch {
    return undefined;
  }
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        version: string;
      };
      if (name === CHROMIUM_PACKAGE) return { version, bin: path.join(dir, 'bin') };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isCacheValid(dir: string, version: string): boolean {
  const stamp = path.join(dir, 'stamp');
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version;
}

function cached(dir: string, source: ChromiumSource): ResolvedChromium {
  return {
    executablePath: path.join(dir, 'chromium'),
    env: {
      // The package's NSS/NSPR/expat builds come first, so a machine without libnss3 runs it too.
      LD_LIBRARY_PATH: path.join(dir, 'lib'),
      FONTCONFIG_PATH: dir,
    },
    source,
  };
}

async function extract(pkg: InstalledPackage, dir: string, progress: Progress): Promise<void> {
  const staging = `${dir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  progress.step(
    `extracting headless Chromium from the npm package ${CHROMIUM_PACKAGE}@${pkg.version} into ${dir} ` +
      '(first browser test only; a few seconds)',
  );
  const started = Date.now();
  await pipeline(
    createReadStream(path.join(pkg.bin, 'chromium.br')),
    createBrotliDecompress(),
    createWriteStream(path.join(staging, 'chromium'), { mode: 0o755 }),
  );
  // SwiftShader's GL libraries sit beside the binary, which loads them from its own folder.
  await untarBrotli(path.join(pkg.bin, 'swiftshader.tar.br'), staging);
  // lib/: libnss3, libnspr4, libexpat built for Amazon Linux 2023; older glibc, so they load here.
  await untarBrotli(path.join(pkg.bin, 'al2023.tar.br'), staging);
  // fonts/: Open Sans, so pages render the same on a machine without fonts.
  await untarBrotli(path.join(pkg.bin, 'fonts.tar.br'), staging);
  // The package's fonts.conf points at Lambda's folders; ours at the cache and the system's fonts.
  writeFileSync(
    path.join(staging, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      `  <dir>${path.join(dir, 'fonts')}</dir>`,
      '  <dir>/usr/share/fonts</dir>',
      `  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(staging, 'stamp'), `${pkg.version}\n`);
  // Move into place only when complete, so an interrupted extraction never looks valid.
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  progress.step(`Chromium ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Brotli in Node, tar by Debian's `tar` (an essential package, on every Debian machine). */
async function untarBrotli(archive: string, into: string): Promise<void> {
  // Through a file: tar stops reading at the archive's end marker, which would break a pipe.
  const tarFile = path.join(into, `${path.basename(archive, '.br')}`);
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarFile));
  try {
    await runCommand('tar', ['-x', '--no-same-owner', '-f', tarFile, '-C', into]);
  } finally {
    rmSync(tarFile, { force: true });
  }
}
