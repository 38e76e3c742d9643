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
import { heartbeat, type Progress } from './progress';
import { runCommand } from './run-command';

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
