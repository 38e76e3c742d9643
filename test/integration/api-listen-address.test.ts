import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recontactCommand, runToEnd } from '../harness/cli';
import { freePort } from '../harness/temporal';

describe('the API on a public address in sandbox mode', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-listen-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(['start', 'api'])(
    '`recontact %s` with API_HOST=0.0.0.0 and no Twilio credentials refuses to start, naming API_HOST',
    async (command) => {
      const apiPort = await freePort();
      const { code, stderr } = await runToEnd([...recontactCommand, command], {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        API_HOST: '0.0.0.0',
        API_PORT: String(apiPort),
        DEV_SERVER_PORT: String(await freePort()),
        DEV_SERVER_UI_PORT: String(await freePort()),
        SANDBOX_PORT: String(await freePort()),
        SANDBOX_SMTP_PORT: String(await freePort()),
      });
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/API_HOST="0\.0\.0\.0"/);
      expect(stderr).toMatch(/TWILIO_ACCOUNT_SID/);
      // Refused before anything started: no dev server database, nothing on the API port.
      expect(existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(false);
      expect(readdirSync(dataDir)).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${apiPort}/healthz`)).rejects.toThrow();
    },
  );
});
