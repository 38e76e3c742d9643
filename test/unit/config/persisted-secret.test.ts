import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { persistedSecret } from '../../../config/persisted-secret';

const execFileAsync = promisify(execFile);

describe('a secret kept in DATA_DIR', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-secret-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is created once, private to its owner, and read back the same afterwards', () => {
    const first = persistedSecret(dataDir, 'api-token');
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(persistedSecret(dataDir, 'api-token').value).toBe(first.value);
    expect(readdirSync(dataDir)).toEqual(['api-token']);
  });

  it('gives every process that starts at the same moment on a shared folder the same value', async () => {
    const script = `const { persistedSecret } = require(${JSON.stringify(require.resolve('../../../config/persisted-secret'))});
process.stdout.write(persistedSecret(${JSON.stringify(dataDir)}, 'customer-key-secret').value);`;
    const values = await Promise.all(
      Array.from({ length: 6 }, () =>
        execFileAsync(process.execPath, ['--import', 'tsx', '-e', script]).then((result) => result.stdout),
      ),
    );
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readdirSync(dataDir)).toEqual(['customer-key-secret']);
  });
});
