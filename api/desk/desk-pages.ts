import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from '../../runtime/project-paths';

const STATIC_DIR = ['api', 'desk', 'static'];

/** The charting library of the KPI page, served as it ships (no build step). */
const CHART_JS = ['node_modules', 'chart.js', 'dist'];

/** The files the desk serves, by URL; a fixed list, so no path from a request ever reaches the disk. */
const FILES: Record<string, { file: string; type: string; dir?: readonly string[] }> = {
  '/desk': { file: 'agent.html', type: 'text/html; charset=utf-8' },
  '/desk/supervisor': { file: 'supervisor.html', type: 'text/html; charset=utf-8' },
  '/desk/assets/desk.css': { file: 'desk.css', type: 'text/css; charset=utf-8' },
  '/desk/assets/desk-common.js': { file: 'desk-common.js', type: 'text/javascript; charset=utf-8' },
  '/desk/assets/agent.js': { file: 'agent.js', type: 'text/javascript; charset=utf-8' },
  '/desk/assets/supervisor.js': { file: 'supervisor.js', type: 'text/javascript; charset=utf-8' },
  '/desk/kpi': { file: 'kpi.html', type: 'text/html; charset=utf-8' },
  '/desk/assets/kpi.js': { file: 'kpi.js', type: 'text/javascript; charset=utf-8' },
  '/desk/assets/chart.umd.min.js': {
    file: 'chart.umd.min.js',
    type: 'text/javascript; charset=utf-8',
    dir: CHART_JS,
  },
};

/**
 * Only same-origin scripts, no inline script, no framing: even text that slipped past escaping
 * could not run. `connect-src 'self'` keeps the token from being sent anywhere else.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * The desk's pages: static shells with no data in them (they are the sign-in screen until a token
 * is entered); every piece of data comes from the token-checked `/desk/api` endpoints.
 */
export function registerDeskPages(app: FastifyInstance): void {
  for (const [url, { file, type, dir = STATIC_DIR }] of Object.entries(FILES)) {
    const body = readFileSync(path.join(projectRoot(), ...dir, file));
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply.headers({ ...SECURITY_HEADERS, 'content-type': type }).send(body),
    );
  }
}
