import path from 'node:path';
import { cacheDir } from './project-paths';
import { withFileLock } from './file-lock';
import { type Progress, stderrProgress } from './progress';
import { commandExists } from './run-command';
import { goInstallInto, isBuiltFor, isExecutable } from './go-install';

/**
 * v1.5.1 is the last Temporal CLI release whose go.mod has no `replace` directive, so
 * `go install` can build it from the Go module proxy alone; later releases cannot.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
/** Its go.mod asks for Go 1.25 (Debian 12's golang-go, 1.19, cannot build it). */
export const TEMPORAL_CLI_GO_VERSION = [1, 25] as const;
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

/** Where the Temporal CLI came from, so `doctor` and logs can say it. */
export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go-build';

export interface ResolvedTemporalCli {
  path: string;
  source: TemporalCliSource;
}

/**
 * Finds or builds the Temporal CLI (dev server + Web UI). Order:
 * `TEMPORAL_CLI_PATH` → `temporal` on PATH → the project cache → `go install` into the cache.
 * Returns `undefined` when none works (no Go toolchain): callers then fall back to the SDK's
 * own download, which needs internet.
 */
export async function resolveTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  progress: Progress = stderrProgress,
): Promise<ResolvedTemporalCli | undefined> {
  const found = findTemporalCli(env);
  if (found !== undefined) return found;
  if (!(await commandExists('go', ['version']))) return undefined;

  const binary = cachedCliPath();
  return withFileLock(
    `${binary}.lock`,
    async () => {
      // Another process may have finished the build while we waited for the lock.
      if (isCacheValid(binary)) return { path: binary, source: 'cache' as const };
      await buildCli(binary, env, progress);
      return { path: binary, source: 'go-build' as const };
    },
    { onWait: () => progress.step('another process is building the Temporal CLI; waiting for it') },
  );
}

/** The first three steps of {@link resolveTemporalCli}: a CLI that is there already, built by nobody. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): ResolvedTemporalCli | undefined {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit !== undefined && explicit !== '') {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit}: not an executable file`);
    return { path: explicit, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', env.PATH);
  if (onPath !== undefined) return { path: onPath, source: 'PATH' };
  const binary = cachedCliPath();
  return isCacheValid(binary) ? { path: binary, source: 'cache' } : undefined;
}

/** The cached binary's path; valid only when the stamp beside it names the same version. */
export function cachedCliPath(): string {
  return path.join(cacheDir(), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

function isCacheValid(binary: string): boolean {
  return isBuiltFor(binary, TEMPORAL_CLI_VERSION);
}

async function buildCli(binary: string, env: NodeJS.ProcessEnv, progress: Progress): Promise<void> {
  await goInstallInto(
    path.dirname(binary),
    TEMPORAL_CLI_VERSION,
    [{ pkg: TEMPORAL_CLI_MODULE, builtAs: 'temporal', installAs: path.basename(binary) }],
    { label: 'the Temporal CLI', env, progress },
  );
}

function findOnPath(command: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
