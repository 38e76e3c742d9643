import { cacheDir } from './project-paths';
import { type GoToolSet, resolveGoTools } from './go-install';
import { type Progress, stderrProgress } from './progress';

/**
 * The Temporal server release the local cluster runs: the same one the embedded dev server of
 * the Temporal CLI reports (Server 1.29.1), and docker-compose.yml pins. Its go.mod has no
 * `replace` directive, so `go install` builds it from the Go module proxy alone.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';

const serverTools: GoToolSet = {
  cacheName: 'temporal-server',
  version: TEMPORAL_SERVER_VERSION,
  binaries: [
    { pkg: `${SERVER_MODULE}/cmd/server`, builtAs: 'server', installAs: 'temporal-server' },
    { pkg: `${SERVER_MODULE}/cmd/tools/sql`, builtAs: 'sql', installAs: 'temporal-sql-tool' },
  ],
  label: 'the Temporal server and schema tool',
  neededFor: 'the local cluster',
};

export interface TemporalServerBinaries {
  /** `temporal-server`: frontend, history, matching and worker services in one process. */
  server: string;
  /** `temporal-sql-tool`: creates and migrates Temporal's databases (schemas embedded). */
  sqlTool: string;
}

const asBinaries = (paths: Record<string, string>): TemporalServerBinaries => ({
  server: paths['temporal-server'] ?? '',
  sqlTool: paths['temporal-sql-tool'] ?? '',
});

/**
 * The Temporal server and its schema tool from the project cache, built with `go install` on
 * first use (a few minutes, with progress lines; a lock keeps two processes from building at once).
 * Throws with the fix when there is no Go toolchain.
 */
export async function resolveTemporalServer(
  env: NodeJS.ProcessEnv = process.env,
  progress: Progress = stderrProgress,
): Promise<TemporalServerBinaries> {
  return asBinaries(await resolveGoTools(cacheDir(), serverTools, env, progress));
}
