import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ContactStore, DeskIdentity, DeskRole } from '../../store';
import { apiError, apiErrorSchema } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the desk's auth hook: who presented the token. */
    deskIdentity?: DeskIdentity;
  }
}

/**
 * An onRequest hook for desk endpoints: `Authorization: Bearer <desk token>` with one of `roles`.
 * Token-only (no cookie), so a page on another site cannot make the browser act for an agent.
 */
export function deskAuth(store: ContactStore, roles: readonly DeskRole[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const presented = match?.[1];
    const identity = presented === undefined ? undefined : await store.resolveDeskToken(presented);
    if (identity === undefined) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="recontact-desk"')
        .send(
          apiError(401, 'unauthorized', 'a valid desk token is required', [
            {
              field: 'headers.authorization',
              rule: presented === undefined ? 'required' : 'invalid_token',
              message:
                presented === undefined
                  ? 'send Authorization: Bearer <desk token>'
                  : 'unknown or revoked token',
            },
          ]),
        );
      return;
    }
    if (!roles.includes(identity.role)) {
      await reply
        .code(403)
        .send(
          apiError(
            403,
            'forbidden',
            `this needs a ${roles.join(' or ')} token; yours is a ${identity.role} token`,
          ),
        );
      return;
    }
    request.deskIdentity = identity;
  };
}

/** The identity the hook set; the hook runs before every handler that calls this. */
export function identityOf(request: FastifyRequest): DeskIdentity {
  if (request.deskIdentity === undefined) throw new Error('desk route without the desk auth hook');
  return request.deskIdentity;
}

/** The answers a desk endpoint may give besides its own: bad input, no or wrong token, unknown, refused. */
export const deskErrorResponses = {
  400: apiErrorSchema,
  401: apiErrorSchema,
  403: apiErrorSchema,
  404: apiErrorSchema,
  409: apiErrorSchema,
};
