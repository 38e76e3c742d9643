import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from './errors';

/** Whether a presented token is one of `tokens`, compared by digest in constant time. */
export function tokenMatcher(tokens: readonly string[]): (presented: string | undefined) => boolean {
  // Compare digests so the comparison takes the same time whatever the token's length.
  const accepted = tokens.map(digest);
  return (presented) => {
    if (presented === undefined) return false;
    const candidate = digest(presented);
    return accepted.some((token) => timingSafeEqual(token, candidate));
  };
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** An onRequest hook accepting `Authorization: Bearer <token>` for any of `tokens`. */
export function bearerAuth(tokens: readonly string[]) {
  const matches = tokenMatcher(tokens);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const presented = bearerTokenOf(request);
    if (matches(presented)) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="recontact"')
      .send(
        apiError(401, 'unauthorized', 'a valid bearer token is required', [
          {
            field: 'headers.authorization',
            rule: presented === undefined ? 'required' : 'invalid_token',
            message: presented === undefined ? 'send Authorization: Bearer <token>' : 'unknown token',
          },
        ]),
      );
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
