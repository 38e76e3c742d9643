/**
 * What only the HTTP API needs, loaded by `recontact start`/`api` when it starts the API: `recontact
 * worker` never loads Fastify, the routes, the desk or the API's client (about 10 MB of heap it
 * would hold for nothing; docs/benchmarks.md, pending reminders).
 */
export { RecontactClient } from '../client/recontact-client';
export { buildApiServer } from '../api/server';
export { kpiSettingsSchema } from '../domain/kpi';
export { rateLimitsFromConfig } from '../api/rate-limits';
export { apiLoggerOptions } from '../api/request-logger';
export { resolveApiTokens } from '../api/api-tokens';
export { twilioWebhookDeps } from '../api/twilio-webhook-deps';
