import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CourtesyClient } from '../client/courtesy';
import type { RecontactClient } from '../client/recontact-client';
import { ReminderClient } from '../client/reminders';
import { doctorCheckSchema, doctorOptionsSchema } from '../client/doctor';
import { runFilterSchema, runSummarySchema } from '../client/runs';
import type { ContactStore } from '../store';
import { registerAgentRoutes } from './agent-routes';
import { registerCallbackRoutes } from './callback-routes';
import { registerSurveyRoutes } from './survey-routes';
import { registerReportRoutes } from './report-routes';
import { createKpiReport } from '../reports/kpi-report';
import type { KpiSettings } from '../domain/kpi';
import type { Registry } from 'prom-client';
import { registerAgentDesk } from './desk/agent-desk';
import { registerDeskTokenRoutes } from './desk/desk-token-routes';
import { requestDispatch } from '../services/callback-dispatcher';
import { registerPendingRuns } from '../metrics/pending-runs';
import { tagRunLogs } from './run-log-context';
import { registerCourtesyRoutes } from './courtesy-routes';
import { registerReminderLinkRoutes } from './reminder-link-routes';
import { registerReminderRoutes } from './reminder-routes';
import { bearerAuth } from './bearer-auth';
import { defaultRateLimits, installRateLimits, type RateLimits } from './rate-limits';
import { apiErrorSchema, installErrorHandler } from './errors';
import { acceptTwilioForms } from './twilio-signature';
import { registerMessagingWebhooks } from './twilio-messaging-webhooks';
import { registerVoiceWebhooks } from './twilio-voice-webhooks';
import type { TwilioWebhookDeps } from './twilio-webhook-deps';
import { type CodecEndpointDeps, registerCodecRoutes } from './codec-routes';

export interface ApiServerDeps {
  client: RecontactClient;
  /** Bearer tokens accepted on /v1 routes. */
  tokens: readonly string[];
  logger?: FastifyServerOptions['logger'];
  /** Twilio's status callbacks, inbound SMS and voice TwiML; signed by Twilio, not bearer tokens. */
  twilioWebhooks?: TwilioWebhookDeps;
  /** The contact store; with it, /v1/agents serves the agent directory. */
  store?: ContactStore;
  /**
   * With the store and the client's callbacks: /v1/callbacks, and an agent going available runs the
   * dispatcher at once (offers last `offerMs`).
   */
  callbackDispatch?: { offerMs: number };
  /**
   * The customer-key secret (customer keys and reminder-link signatures must match the workers');
   * with it, /v1/reminders and /v1/courtesy are served and reminder e-mail links work.
   */
  customerKeySecret?: string;
  /** The name customers see in messages started through the API. @default "Recontact" */
  company?: string;
  /** With the store: GET /v1/reports/kpi, read in this time zone at these prices (docs/kpi.md). */
  kpi?: KpiSettings;
  /** Served at `/metrics` in Prometheus' text format, without a token, like `/healthz`. */
  metrics?: Registry;
  /** Requests per minute per token and per address (RATE_LIMIT_*). @default the configuration's defaults */
  rateLimits?: RateLimits;
  /**
   * The payload codec and the Web UI's origins: with them, `/codec/encode` and `/codec/decode` serve
   * the Temporal codec server protocol to holders of an API token (docs/security.md).
   */
  codec?: Omit<CodecEndpointDeps, 'tokens'>;
}

const errorResponses = { 400: apiErrorSchema, 401: apiErrorSchema };

/**
 * The HTTP API: zod schemas validate every request and generate the OpenAPI document
 * (`/openapi.json`, browsable at `/docs`). `/v1/*` needs a bearer token; `/healthz` does not,
 * so load balancers can probe it.
 */
export async function buildApiServer({
  client,
  tokens,
  logger = false,
  twilioWebhooks,
  store,
  callbackDispatch,
  customerKeySecret,
  company,
  kpi,
  metrics,
  rateLimits = defaultRateLimits,
  codec,
}: ApiServerDeps): Promise<FastifyInstance> {
  if (tokens.length === 0) throw new Error('the HTTP API needs at least one bearer token');
  const app = Fastify({ logger }).withTypeProvider<ZodTypeProvider>();
  closeConnectionsAnsweredWhileClosing(app);
  tagRunLogs(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // Before every route and every auth hook: a flood is turned away before it costs a lookup.
  await installRateLimits(app, rateLimits);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Recontact API',
        version: '0.1.0',
        description: 'Proactive outbound and callbacks on Temporal',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness and Temporal reachability',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }), 503: apiErrorSchema },
      },
    },
    async (_request, reply) => {
      if (await client.isHealthy()) return { status: 'ok' as const };
      return reply.code(503).send({
        error: { status: 503, code: 'temporal_unreachable', message: 'Temporal does not answer' },
      });
    },
  );

  if (metrics !== undefined) {
    registerPendingRuns(metrics, async (query) => (await client.temporal.workflow.count(query)).count);
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.header('content-type', metrics.contentType).send(await metrics.metrics()),
    );
  }

  if (twilioWebhooks !== undefined) {
    acceptTwilioForms(app);
    registerMessagingWebhooks(app, twilioWebhooks.messaging);
    registerVoiceWebhooks(app, twilioWebhooks.voice);
  }

  if (codec !== undefined) registerCodecRoutes(app, { ...codec, tokens });

  let outreach: { reminders: ReminderClient; courtesy: CourtesyClient } | undefined;
  if (customerKeySecret !== undefined) {
    const options = { temporal: client.temporal, taskQueue: client.taskQueue, customerKeySecret, company };
    outreach = { reminders: new ReminderClient(options), courtesy: new CourtesyClient(options) };
    registerReminderLinkRoutes(app, { reminders: outreach.reminders, secret: customerKeySecret });
  }

  await app.register(
    async (v1) => {
      v1.addHook('onRequest', bearerAuth(tokens));
      const routes = v1.withTypeProvider<ZodTypeProvider>();

      routes.get(
        '/runs',
        {
          schema: {
            summary: 'List runs by custom search attributes (newest first)',
            querystring: runFilterSchema,
            response: { 200: z.object({ runs: z.array(runSummarySchema) }), ...errorResponses },
          },
        },
        async (request) => ({ runs: await client.listRuns(request.query) }),
      );

      routes.post(
        '/diagnostics',
        {
          schema: {
            summary: 'Run the doctor checks: Temporal, namespace, search attributes, a polling worker',
            body: doctorOptionsSchema,
            response: {
              200: z.object({ ok: z.boolean(), checks: z.array(doctorCheckSchema) }),
              ...errorResponses,
            },
          },
        },
        async (request) => {
          const checks = await client.doctor(request.body);
          return { ok: checks.every((check) => check.ok), checks };
        },
      );

      if (store !== undefined) {
        registerAgentRoutes(routes, {
          store,
          ...(callbackDispatch !== undefined
            ? {
                onAvailable: () => requestDispatch(client.temporal, client.taskQueue),
              }
            : {}),
        });
        if (callbackDispatch !== undefined) {
          registerCallbackRoutes(routes, { callbacks: client.callbacks, store });
          registerSurveyRoutes(routes, { rescues: client.rescues });
        }
        registerDeskTokenRoutes(routes, { store });
        if (kpi !== undefined) {
          registerReportRoutes(routes, { kpiReport: createKpiReport({ store, settings: kpi }) });
        }
      }
      if (outreach !== undefined) {
        registerReminderRoutes(routes, outreach);
        registerCourtesyRoutes(routes, outreach);
      }
    },
    { prefix: '/v1' },
  );

  // The agent desk: its own tokens (agent or supervisor), not the API's bearer tokens.
  if (store !== undefined && callbackDispatch !== undefined) {
    await registerAgentDesk(app, {
      client,
      store,
      dispatch: () => requestDispatch(client.temporal, client.taskQueue),
      ...(kpi !== undefined ? { kpiReport: createKpiReport({ store, settings: kpi }) } : {}),
    });
  }

  return app;
}

/**
 * close() must not wait for keep-alive connections whose request was still running when it began:
 * Node closes only the connections idle at that moment, and Fastify marks only requests that
 * arrive later with `Connection: close`, so a connection answered during close stayed open until
 * its keep-alive timeout (Fastify's default: 72 s) and held close() for that long. An answer sent
 * while closing now closes its connection.
 */
function closeConnectionsAnsweredWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
}
