import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RECONTACT_NODE_FLAGS } from '../../../runtime/node-flags';
import { projectRoot } from '../../../runtime/project-paths';

const read = (file: string) => readFileSync(path.join(projectRoot(), file), 'utf8');

/** Every way Recontact is started passes its node flags (runtime/node-flags.ts says why). */
describe("Recontact's launchers pass its node flags", () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it.each(['start', 'recontact'])('npm run %s', (script) => {
    const words = scripts[script]?.split(/\s+/) ?? [];
    expect(words[0]).toBe('node');
    for (const flag of RECONTACT_NODE_FLAGS) expect(words).toContain(flag);
  });

  it("the recontact command's shebang", () => {
    const shebang = read('cli/main.ts').split('\n')[0] ?? '';
    expect(shebang).toBe(`#!/usr/bin/env -S node ${RECONTACT_NODE_FLAGS.join(' ')}`);
  });

  it("the Docker image's entrypoint", () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', ...RECONTACT_NODE_FLAGS, 'dist/cli/main.js']);
  });
});
