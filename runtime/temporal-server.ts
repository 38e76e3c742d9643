import path from 'node:path';
import { cacheDir } from './project-paths';
import { withFileLock } from './file-lock';
import { goInstallInto, isBuiltFor } from './go-install';
import { type Progress, stderrProgress } from './progress';
import { commandExists } from './run-command';

/**
 * The Temporal server release the local cluster runs: the same one the embedded dev server of
 * the Temporal CLI reports (Server 1.29.1), and docker-compose.yml pins. Its go.mod has no
 * `replace` directive, so `go install` builds it from the Go module proxy alone.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  /** `temporal-server`: frontend, history, matching and worker services in one process. */
  server: string;
  /** `temporal-sql-tool`: creates and migrates Temporal's databases (schemas embedded). */
  sqlTool: string;
}

/** The cached binaries' paths; valid only when the stamps beside them name the same version. */
export function cachedServerBinaries(): TemporalServerBinaries {
  const dir = path.join(cacheDir(), 'temporal-server', TEMPORAL_SERVER_VERSION);
  return { server: path.join(dir, 'temporal-server'), sqlTool: path.join(dir, 'temporal-sql-tool') };
}

export function findTemporalServer(): TemporalServerBinaries | undefined {
  const binaries = cachedServerBinaries();
  return isBuiltFor(binaries.server, TEMPORAL_SERVER_VERSION) &&
    isBuiltFor(binaries.sqlTool, TEMPORAL_SERVER_VERSION)
    ? binaries
    : undefined;
}

/**
 * The Temporal server and its schema tool from the project cache, built with `go install` on
 * first use (a few minutes, with progress lines; a lock keeps two processes from building at once).
 * Throws with the fix when there is no Go toolchain.
 */
export async function resolveTemporalServer(
  env: NodeJS.ProcessEnv = process.env,
  progress: Progress = stderrProgress,
): Promise<TemporalServerBinaries> {
  const found = findTemporalServer();
  if (found !== undefined) return found;
  if (!(await commandExists('go', ['version']))) {
    throw new Error(
      `the local cluster needs Temporal server ${TEMPORAL_SERVER_VERSION}, built from the Go module proxy: install Go 1.25+ (apt-get install golang-go, or go.dev/dl)`,
    );
  }
  const binaries = cachedServerBinaries();
  return withFileLock(
    `${binaries.server}.lock`,
    async () => {
      const built = findTemporalServer();
      if (built !== undefined) return built;
      await goInstallInto(
        path.dirname(binaries.server),
        TEMPORAL_SERVER_VERSION,
        [
          { pkg: `${SERVER_MODULE}/cmd/server`, builtAs: 'server', installAs: 'temporal-server' },
          { pkg: `${SERVER_MODULE}/cmd/tools/sql`, builtAs: 'sql', installAs: 'temporal-sql-tool' },
        ],
        { label: 'the Temporal server and schema tool', env, progress },
      );
      return binaries;
    },
    { onWait: () => progress.step('another process is building the Temporal server; waiting for it') },
  );
}
