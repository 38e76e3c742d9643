import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recontactCommand, runToEnd } from '../harness/cli';

/**
 * `recontact provision --check` on machines that lack something: a PATH holding only `node` (and
 * stand-ins for the toolchains a test names), and an empty cache, so nothing is provisioned yet.
 */
describe('recontact provision --check', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'recontact-check-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function machine(name: string, tools: Record<string, string>) {
    const bin = path.join(root, name, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, path.join(bin, 'node'));
    for (const [tool, printed] of Object.entries(tools)) {
      writeFileSync(path.join(bin, tool), `#!/bin/sh\necho '${printed}'\n`);
      chmodSync(path.join(bin, tool), 0o755);
    }
    return { PATH: bin, HOME: root, RECONTACT_CACHE_DIR: path.join(root, name, 'cache') };
  }
  const check = (env: Record<string, string>) => runToEnd([...recontactCommand, 'provision', '--check'], env);
  const line = (stdout: string, name: string) =>
    stdout.split('\n').find((text) => text.split(/\s+/)[1] === name) ?? `(no ${name} line)`;
  const fixAfter = (stdout: string, name: string) => {
    const lines = stdout.split('\n');
    return lines[lines.indexOf(line(stdout, name)) + 1] ?? '';
  };

  it('says that a machine without Go, a JDK and Maven lacks them, and how to get each', async () => {
    const result = await check(machine('bare', {}));

    expect(result.code).toBe(1);
    expect(line(result.stdout, 'node')).toMatch(/^ok +node +npm start +Node\.js \d+/);
    expect(line(result.stdout, 'temporal-cli')).toContain('FAIL');
    expect(line(result.stdout, 'temporal-cli')).toContain('no Go toolchain');
    expect(fixAfter(result.stdout, 'temporal-cli')).toContain('fix: install Go 1.25+');
    expect(line(result.stdout, 'test-server')).toContain(
      'Java 17+ and javac (a JDK, not only a JRE) and Maven missing',
    );
    expect(fixAfter(result.stdout, 'test-server')).toContain(
      'fix: apt-get install openjdk-17-jdk-headless maven',
    );
    // Installed by npm install in this checkout, whatever the machine has.
    expect(line(result.stdout, 'browser')).toMatch(/^ok +browser +npm test +@sparticuz\/chromium \d+/);
    expect(line(result.stdout, 'postgresql')).toMatch(/^(ok|FAIL) +postgresql +npm test/);
  });

  it('names a Go or a Java too old for the job (Debian 12 ships Go 1.19)', async () => {
    const result = await check(
      machine('old', {
        go: 'go version go1.19.8 linux/amd64',
        java: 'openjdk version "11.0.22" 2024-01-16',
        javac: 'javac 11.0.22',
        mvn: 'Apache Maven 3.8.7',
      }),
    );

    expect(result.code).toBe(1);
    expect(line(result.stdout, 'temporal-cli')).toContain('Go 1.19.8 is too old to build v1.5.1');
    expect(line(result.stdout, 'test-server')).toContain('Java 17+ missing (found Java 11)');
  });

  it('passes a machine whose toolchains will build and fetch what is not there yet', async () => {
    const result = await check(
      machine('ready', {
        go: 'go version go1.26.8 linux/amd64',
        java: 'openjdk version "17.0.15" 2025-04-15',
        javac: 'javac 17.0.15',
        mvn: 'Apache Maven 3.8.7',
      }),
    );

    expect(line(result.stdout, 'temporal-cli')).toMatch(/^ok .*not built yet: .* with Go 1\.26\.8/);
    expect(line(result.stdout, 'test-server')).toMatch(/^ok .*not fetched yet: .* with Java 17 and Maven/);
  });
});
