import { RecontactClient } from '../client/recontact-client';
import { buildApiServer } from '../api/server';
import { kpiSettingsSchema } from '../domain/kpi';
import { rateLimitsFromConfig } from '../api/rate-limits';
import { apiLoggerOptions } from '../api/request-logger';
import { resolveApiTokens } from '../api/api-tokens';
import { twilioWebhookDeps } from '../api/twilio-webhook-deps';

/**
 * What only the HTTP API needs, loaded by `recontact start`/`api` when it starts the API: `recontact
 * worker` never loads Fastify, the routes, the desk or the API's client (about 10 MB of heap it
 * would hold for nothing; docs/benchmarks.md, pending reminders).
 */
export const apiServerModules = {
  RecontactClient,
  buildApiServer,
  kpiSettingsSchema,
  rateLimitsFromConfig,
  apiLoggerOptions,
  resolveApiTokens,
  twilioWebhookDeps,
};
