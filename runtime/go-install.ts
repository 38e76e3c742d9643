import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { withFileLock } from './file-lock';
import { heartbeat, type Progress } from './progress';
import { commandExists, runCommand } from './run-command';

export interface GoBinary {
  /** Go package path of a `main` package, e.g. `go.temporal.io/server/cmd/server`. */
  pkg: string;
  /** The file `go install` writes (the package's last path element). */
  builtAs: string;
  /** Where it ends up, in `dir`. */
  installAs: string;
}

/**
 * `go install pkg@version` for each binary into a staging folder of `dir`, from the Go module
 * proxy, with progress lines; then moves them into place and writes `<installAs>.stamp` with the
 * version, so an interrupted build never looks valid. The caller holds the cache entry's lock.
 */
export async function goInstallInto(
  dir: string,
  version: string,
  binaries: readonly GoBinary[],
  options: { label: string; env: NodeJS.ProcessEnv; progress: Progress },
): Promise<void> {
  const { label, env, progress } = options;
  const staging = path.join(dir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  progress.step(
    `building ${label} ${version} from the Go module proxy into ${dir} (first run only; takes a few minutes)`,
  );
  const started = Date.now();
  const stopHeartbeat = heartbeat(progress, `still building ${label}`);
  let downloads = 0;
  let compiled = 0;
  try {
    await runCommand('go', ['install', '-v', ...binaries.map((binary) => `${binary.pkg}@${version}`)], {
      env: { ...env, GOBIN: staging },
      onLine: (line) => {
        if (line.startsWith('go: downloading')) {
          downloads += 1;
          if (downloads % 25 === 0) progress.step(`downloaded ${downloads} Go modules`);
        } else if (!line.startsWith('go:')) {
          compiled += 1;
          if (compiled % 100 === 0) progress.step(`compiled ${compiled} Go packages`);
        }
      },
    });
  } finally {
    stopHeartbeat();
  }
  for (const binary of binaries) {
    const target = path.join(dir, binary.installAs);
    renameSync(path.join(staging, binary.builtAs), target);
    writeFileSync(`${target}.stamp`, `${version}\n`);
  }
  rmSync(staging, { recursive: true, force: true });
  progress.step(`built ${label} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** True when `file` is an executable built by {@link goInstallInto} for `version`. */
export function isBuiltFor(file: string, version: string): boolean {
  const stamp = `${file}.stamp`;
  return isExecutable(file) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Binaries built together from one Go module version into one cache folder. */
export interface GoToolSet {
  /** Cache folder under `.cache/`, e.g. `temporal-server`; the version is a subfolder. */
  cacheName: string;
  version: string;
  binaries: readonly GoBinary[];
  /** For progress lines and errors, e.g. "the Temporal server and schema tool". */
  label: string;
  /** What the tools are needed for, for the error when there is no Go toolchain. */
  neededFor: string;
}

/** Each binary's cached path (by `installAs`); valid only when its stamp names the set's version. */
function cachedGoTools(cache: string, set: GoToolSet): Record<string, string> {
  const dir = path.join(cache, set.cacheName, set.version);
  return Object.fromEntries(
    set.binaries.map((binary) => [binary.installAs, path.join(dir, binary.installAs)]),
  );
}

export function findGoTools(cache: string, set: GoToolSet): Record<string, string> | undefined {
  const paths = cachedGoTools(cache, set);
  return Object.values(paths).every((file) => isBuiltFor(file, set.version)) ? paths : undefined;
}

/**
 * The set's binaries from the project cache, built with `go install` on first use (with progress
 * lines; a lock keeps two processes from building at once). Throws with the fix when there is no Go.
 */
export async function resolveGoTools(
  cache: string,
  set: GoToolSet,
  env: NodeJS.ProcessEnv,
  progress: Progress,
): Promise<Record<string, string>> {
  const found = findGoTools(cache, set);
  if (found !== undefined) return found;
  if (!(await commandExists('go', ['version']))) {
    throw new Error(
      `${set.neededFor} needs ${set.label} ${set.version}, built from the Go module proxy: install Go 1.25+ (apt-get install golang-go, or go.dev/dl)`,
    );
  }
  const dir = path.join(cache, set.cacheName, set.version);
  return withFileLock(
    path.join(dir, `${set.cacheName}.lock`),
    async () => {
      const built = findGoTools(cache, set);
      if (built !== undefined) return built;
      await goInstallInto(dir, set.version, set.binaries, { label: set.label, env, progress });
      return cachedGoTools(cache, set);
    },
    { onWait: () => progress.step(`another process is building ${set.label}; waiting for it`) },
  );
}
