import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Browser, Page } from 'playwright-core';
import { deliverMessage } from '../../../workflows/deliver-message';
import { customerKeyFor } from '../../../domain/customer-key';
import { type RunningDevServer, startDevServer } from '../../../runtime/dev-server';
import { startChannelStack, type ChannelStack } from '../../harness/channels';
import { artifactPath, launchChromium } from '../../harness/desk-browser';
import { testDataConverter } from '../../harness/payload-keys';
import { eventually, freePort } from '../../harness/temporal';
import { requiredTestEnv, TEST_ENV } from '../../harness/test-env';

const NAMESPACE = 'recontact-ui';
const phone = '+15005550001';
const name = 'Grace Hopper-Codec';

/**
 * The Temporal Web UI of a dev server started as `npm start` starts it (`--ui-codec-endpoint` at the
 * API's /codec), showing a finished run: an administrator who adds the API token to the UI's codec
 * setting reads the input; a visitor without it sees only the encrypted payload.
 */
describe('the Temporal Web UI with the codec endpoint', () => {
  let dataDir: string;
  let devServer: RunningDevServer;
  let uiUrl: string;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let stack: ChannelStack;
  let browser: Browser;
  let runPath: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-codec-ui-'));
    const [port, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    devServer = await startDevServer({
      cliPath: requiredTestEnv(TEST_ENV.cliPath),
      port,
      uiPort,
      namespace: NAMESPACE,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      codecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
    });
    uiUrl = `http://127.0.0.1:${uiPort}`;
    connection = await Connection.connect({ address: devServer.address });
    nativeConnection = await NativeConnection.connect({ address: devServer.address });
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter: testDataConverter() });
    stack = await startChannelStack(
      { API_PORT: String(apiPort), DEV_SERVER_PORT: String(port), DEV_SERVER_UI_PORT: String(uiPort) },
      { client, nativeConnection, namespace: NAMESPACE },
    );
    const workflowId = `notice-ui-${randomUUID()}`;
    const handle = await client.workflow.start(deliverMessage, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [
        {
          channel: 'sms',
          contact: { phone, country: 'US', timeZone: 'America/New_York' },
          customerKey: customerKeyFor(phone, stack.services.customerKeySecret),
          template: 'sms.help',
          variables: { company: 'Acme', name },
          purpose: 'notice',
        },
      ],
    });
    await handle.result();
    runPath = `/namespaces/${NAMESPACE}/workflows/${workflowId}/${handle.firstExecutionRunId}/history`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await nativeConnection?.close();
    await connection?.close();
    await devServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens the run in a fresh browser profile whose codec setting is `endpoint` (unset: the server's). */
  async function openRun(
    endpoint: string | undefined,
    screenshot: string,
  ): Promise<{ page: Page; codecCalls: number[] }> {
    const context = await browser.newContext();
    if (endpoint !== undefined) {
      // What the UI's "Codec Server" dialog stores for this browser, overriding the server's setting.
      await context.addInitScript(
        `localStorage.setItem('endpoint', ${JSON.stringify(JSON.stringify(endpoint))});` +
          `localStorage.setItem('overrideRemoteCodecConfiguration', 'true');`,
      );
    }
    const page = await context.newPage();
    const codecCalls: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/codec/') && response.request().method() === 'POST')
        codecCalls.push(response.status());
    });
    await page.goto(uiUrl + runPath);
    await eventually(async () => (codecCalls.length > 0 ? true : undefined), 30_000);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: artifactPath(screenshot), fullPage: true });
    return { page, codecCalls };
  }

  it('shows the decoded input to an administrator who set the codec endpoint with the API token', async () => {
    const { page, codecCalls } = await openRun(
      `http://127.0.0.1:${stack.config.API_PORT}/codec/test-token`,
      'codec-ui-with-token.png',
    );
    expect(codecCalls).toContain(200);
    await eventually(async () => ((await page.content()).includes(name) ? true : undefined), 20_000);
    expect(await page.content()).toContain(phone);
    await page.context().close();
  }, 60_000);

  it('shows only the encrypted payload without the token, though the UI asks the codec endpoint', async () => {
    const { page, codecCalls } = await openRun(undefined, 'codec-ui-without-token.png');
    expect(codecCalls.every((status) => status === 401)).toBe(true);
    const html = await page.content();
    expect(html).not.toContain(name);
    expect(html).not.toContain(phone);
    // The payload as stored: its encoding ("binary/encrypted", base64) and key id, data in ciphertext.
    expect(html).toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(html).toContain('encryption-key-id');
    expect(html).toContain('Codec Server could not connect');
    await page.context().close();
  }, 60_000);
});
