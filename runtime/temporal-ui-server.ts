import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type GoToolSet, resolveGoTools } from './go-install';
import { cacheDir } from './project-paths';
import { type Progress, stderrProgress } from './progress';

/**
 * The Temporal Web UI the local cluster serves: the same release the Temporal CLI embeds in its
 * dev server (UI 2.42.1) and docker-compose.yml pins. `ui-server` carries the built UI inside its
 * Go module, so `go install` from the module proxy gives the whole UI in one binary (~45 s).
 */
export const TEMPORAL_UI_VERSION = 'v2.42.1';

const uiTools: GoToolSet = {
  cacheName: 'temporal-ui-server',
  version: TEMPORAL_UI_VERSION,
  binaries: [
    {
      pkg: 'github.com/temporalio/ui-server/v2/cmd/server',
      builtAs: 'server',
      installAs: 'temporal-ui-server',
    },
  ],
  label: 'the Temporal Web UI server',
  neededFor: 'the local cluster’s Web UI',
};

/** `temporal-ui-server` from the project cache, built with `go install` on first use. */
export async function resolveTemporalUiServer(
  env: NodeJS.ProcessEnv = process.env,
  progress: Progress = stderrProgress,
): Promise<string> {
  const paths = await resolveGoTools(cacheDir(), uiTools, env, progress);
  return paths['temporal-ui-server'] ?? '';
}

export interface UiServerSettings {
  /** A frontend's gRPC address, `host:port`. */
  temporalAddress: string;
  port: number;
  namespace: string;
  /** The API's codec endpoint; the UI shows ciphertext until an administrator adds the token. */
  codecEndpoint?: string;
}

/** ui-server's YAML: loopback only, no auth (a one-machine tool), Recontact's namespace first. */
export function uiServerConfigYaml(settings: UiServerSettings): string {
  const quoted = (value: string) => JSON.stringify(value);
  return [
    `temporalGrpcAddress: ${quoted(settings.temporalAddress)}`,
    'host: 127.0.0.1',
    `port: ${settings.port}`,
    'enableUi: true',
    `defaultNamespace: ${quoted(settings.namespace)}`,
    'notifyOnNewVersion: false',
    'showTemporalSystemNamespace: false',
    'refreshInterval: 1m',
    'cors:',
    '  cookieInsecure: true',
    '  allowOrigins: []',
    'auth:',
    '  enabled: false',
    'codec:',
    `  endpoint: ${quoted(settings.codecEndpoint ?? '')}`,
    '  passAccessToken: false',
    '  includeCredentials: false',
    '',
  ].join('\n');
}

/** Writes `dir/config/development.yaml` and returns ui-server's arguments for it. */
export function prepareUiServer(dir: string, settings: UiServerSettings): string[] {
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  writeFileSync(path.join(dir, 'config', 'development.yaml'), uiServerConfigYaml(settings));
  return ['--root', dir, '--config', 'config', '--env', 'development', 'start'];
}
