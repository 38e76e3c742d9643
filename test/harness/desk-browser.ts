import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PACKAGE, resolveChromium } from '../../runtime/chromium';
import { projectRoot } from '../../runtime/project-paths';
import { agentPhones, type CallbackStack, type TestAgent } from './callbacks';

/**
 * Headless Chromium from the npm package @sparticuz/chromium (extracted into .cache/ on first use),
 * or RECONTACT_CHROMIUM_PATH. `launch()` gives it a fresh, throw-away user-data-dir; the flags keep
 * it off the network (this machine refuses Google's hosts, many at a time, without them).
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await resolveChromium();
  if (browser === undefined) {
    throw new Error(
      `no browser for the agent desk tests: ${CHROMIUM_PACKAGE} (a devDependency) is not installed; ` +
        'run `npm install`, or set RECONTACT_CHROMIUM_PATH to a Chromium (e.g. /usr/bin/chromium)',
    );
  }
  return chromium.launch({
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env },
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots go: git-ignored, kept by CI as artifacts. */
export function artifactPath(name: string): string {
  const dir = path.join(projectRoot(), 'test-artifacts', 'desk');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** The administrator's side, over the real HTTP API with the API bearer token. */
export function deskAdmin(stack: CallbackStack) {
  const base = `http://127.0.0.1:${stack.config.API_PORT}`;
  const admin = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(base + url, {
      method,
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(data)}`);
    return data;
  };
  return {
    base,
    /** Creates the agent (offline, English) and returns a fresh desk token for them. */
    async agentWithToken(id: TestAgent, skills: string[]): Promise<string> {
      await admin('POST', '/v1/agents', {
        id,
        name: id.toUpperCase(),
        address: agentPhones[id],
        skills,
        languages: ['en'],
      });
      return (await admin('POST', '/v1/desk-tokens', { role: 'agent', subjectId: id })).token as string;
    },
    async supervisorToken(id: string): Promise<string> {
      return (await admin('POST', '/v1/desk-tokens', { role: 'supervisor', subjectId: id })).token as string;
    },
  };
}

/** A new browser context at 1280×800 on a desk page, signed in with `token` by keyboard. */
export async function signIn(browser: Browser, url: string, token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // An alert would mean customer text ran as script.
  page.on('dialog', (dialog) => {
    throw new Error(`unexpected dialog: ${dialog.message()}`);
  });
  await page.goto(url);
  await page.locator('#token').fill(token);
  await page.locator('#token').press('Enter');
  await page.locator('#desk').waitFor({ state: 'visible' });
  await page.locator('#link[data-state="live"]').waitFor();
  return page;
}
