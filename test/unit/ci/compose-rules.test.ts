import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeProblems, type ResolvedProject } from '../../../runtime/compose-rules';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../../runtime/dev-server';
import { projectRoot } from '../../../runtime/project-paths';

const expectations = {
  knownVariables: new Set(['TEMPORAL_ADDRESS', 'DATABASE_URL']),
  recontactVersion: '0.1.0',
  recontactImage: 'recontact',
};

function project(services: ResolvedProject['services']): ResolvedProject {
  return { services };
}

describe('what CI demands of docker-compose.yml beyond the Compose specification', () => {
  it('passes pinned images and known Recontact variables', () => {
    expect(
      composeProblems(
        project({
          temporal: { image: 'temporalio/server:1.29.1' },
          postgresql: { image: 'postgres:16.6' },
          digest: { image: `example/tool@sha256:${'a'.repeat(64)}` },
          worker: {
            image: 'recontact:0.1.0',
            build: { context: '.' },
            environment: { TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: '' },
          },
        }),
        expectations,
      ),
    ).toEqual([]);
  });

  it('names each unpinned image, the wrong Recontact tag and each unknown variable', () => {
    expect(
      composeProblems(
        project({
          ui: { image: 'temporalio/ui:latest' },
          bare: { image: 'registry.example.com:5000/postgres' },
          nothing: {},
          worker: { image: 'recontact:0.0.9', environment: { TEMPORAL_ADRESS: 'temporal:7233' } },
        }),
        expectations,
      ),
    ).toEqual([
      'ui: image temporalio/ui:latest is not pinned to a release tag or digest',
      'bare: image registry.example.com:5000/postgres is not pinned to a release tag or digest',
      'nothing: no image (every service names a pinned image)',
      "worker: image recontact:0.0.9 is not tagged with package.json's version 0.1.0",
      "worker: Recontact's image must be buildable here (build: .)",
      'worker: TEMPORAL_ADRESS is not a Recontact setting (config/config.ts)',
    ]);
  });

  it("gives the compose cluster the embedded dev server's dynamic configuration", () => {
    const text = readFileSync(path.join(projectRoot(), 'deploy', 'temporal', 'dynamicconfig.yaml'), 'utf8');
    const values = Object.fromEntries(
      [...text.matchAll(/^([\w.]+):\n\s+- value: (.+)$/gm)].map(([, key, value]) => [key, value]),
    );
    expect(values).toEqual(
      Object.fromEntries(
        Object.entries(DEV_SERVER_DYNAMIC_CONFIG).map(([key, value]) => [key, String(value)]),
      ),
    );
  });
});
