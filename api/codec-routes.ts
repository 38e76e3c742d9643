import type { PayloadCodec } from '@temporalio/common';
import { payloadFromJson, payloadToJson } from '../codec/payload-json';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, apiErrorSchema } from './errors';
import { bearerTokenOf, tokenMatcher } from './bearer-auth';
import { PayloadDecryptionError } from '../codec/payload-codec';

export interface CodecEndpointDeps {
  codec: PayloadCodec;
  /** The API's bearer tokens: the same people who may start runs may read them. */
  tokens: readonly string[];
  /** Origins of the Temporal Web UI allowed to call from a browser (CODEC_CORS_ORIGINS). */
  allowedOrigins: readonly string[];
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64');
/** A `temporal.api.common.v1.Payloads` in protobuf JSON: bytes as base64. */
const payloadsSchema = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }))
    .max(10_000),
});

const PREFIX = '/codec';
// A payload may be 2 MiB; base64 and a batch of them take more than Fastify's 1 MiB default.
const BODY_LIMIT = 32 * 1024 * 1024;

/**
 * The Temporal codec server protocol (`POST …/encode`, `POST …/decode`, JSON `{ payloads }`) for the
 * Web UI and `temporal --codec-endpoint`. It needs an API token, either as `Authorization: Bearer`
 * (the CLI's `--codec-auth`, scripts, a UI behind a proxy) or as a path segment,
 * `/codec/<token>/decode`, because the UI's codec setting is a URL and the UI sends an Authorization
 * header only with its own OIDC sign-in. Browsers may call it only from CODEC_CORS_ORIGINS.
 */
export function registerCodecRoutes(app: FastifyInstance, deps: CodecEndpointDeps): void {
  const matches = tokenMatcher(deps.tokens);
  const allowed = new Set(deps.allowedOrigins);
  const authorized = (request: FastifyRequest): boolean =>
    matches((request.params as { token?: string }).token ?? bearerTokenOf(request));

  const cors = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin;
    if (origin === undefined) return; // Not a browser (the CLI, curl): no CORS to answer.
    if (!allowed.has(origin)) {
      await reply
        .code(403)
        .send(
          apiError(
            403,
            'origin_not_allowed',
            `origin ${origin} may not use the codec endpoint (CODEC_CORS_ORIGINS)`,
          ),
        );
      return;
    }
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  };

  const routes = app.withTypeProvider<ZodTypeProvider>();
  for (const path of [`${PREFIX}/:operation`, `${PREFIX}/:token/:operation`]) {
    // The preflight carries no credentials: it is answered from the origin alone.
    routes.options(path, { schema: { hide: true }, onRequest: cors }, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type, x-namespace, authorization')
        .header('access-control-max-age', '600')
        .send(),
    );
    routes.post(
      path,
      {
        bodyLimit: BODY_LIMIT,
        onRequest: cors,
        schema: {
          hide: path.includes(':token'),
          summary:
            'Codec server for the Temporal Web UI and CLI: decrypt (decode) or encrypt (encode) payloads',
          params: z.object({ token: z.string().optional(), operation: z.enum(['encode', 'decode']) }),
          body: payloadsSchema,
          response: {
            200: payloadsSchema,
            400: apiErrorSchema,
            401: apiErrorSchema,
            403: apiErrorSchema,
            422: apiErrorSchema,
          },
        },
      },
      async (request, reply) => {
        if (!authorized(request)) {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer realm="recontact"')
            .send(
              apiError(
                401,
                'unauthorized',
                'an API token is required: Authorization: Bearer <token>, or /codec/<token> as the codec endpoint',
              ),
            );
        }
        const payloads = request.body.payloads.map(payloadFromJson);
        try {
          const converted =
            request.params.operation === 'decode'
              ? await deps.codec.decode(payloads)
              : await deps.codec.encode(payloads);
          return { payloads: converted.map(payloadToJson) };
        } catch (error) {
          if (!(error instanceof PayloadDecryptionError)) throw error;
          return reply.code(422).send(apiError(422, 'undecodable_payload', error.message));
        }
      },
    );
  }
}
