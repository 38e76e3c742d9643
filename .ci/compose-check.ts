/**
 * CI step: docker-compose.yml is valid Compose (checked by compose-go, the specification's
 * reference implementation, against the specification's JSON schema — .ci/compose-check/), every
 * image is pinned, and every variable set on a Recontact service is a setting Recontact knows.
 * There is no Docker engine here, so the file is checked, not run (docs/deployment.md).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '../config/config';
import { composeProblems, resolvedProjectSchema } from '../runtime/compose-rules';

const root = path.resolve(__dirname, '..');
const composeFile = path.join(root, 'docker-compose.yml');
const loaded = spawnSync('go', ['run', '.', composeFile], {
  cwd: path.join(root, '.ci', 'compose-check'),
  encoding: 'utf8',
  maxBuffer: 16 * 1024 * 1024,
  timeout: 600_000,
});
if (loaded.status !== 0) {
  console.error(loaded.stderr || loaded.error?.message || `compose-check exited ${loaded.status}`);
  process.exit(1);
}
const project = resolvedProjectSchema.parse(JSON.parse(loaded.stdout));
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const problems = composeProblems(project, {
  knownVariables: new Set(Object.keys(configSchema.shape)),
  recontactVersion: version,
  recontactImage: 'recontact',
});
for (const problem of problems) console.error(`docker-compose.yml: ${problem}`);
if (problems.length > 0) process.exit(1);
console.log(
  `docker-compose.yml: valid Compose; ${Object.keys(project.services).length} services, every image pinned, every Recontact variable known`,
);
