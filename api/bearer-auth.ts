import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from './errors';

/** An onRequest hook accepting `Authorization: Bearer <token>` for any of `tokens`. */
export function bearerAuth(tokens: readonly string[]) {
  // Compare digests so the comparison takes the same time whatever the token's length.
  const accepted = tokens.map(digest);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const presented = match?.[1];
    if (presented !== undefined) {
      const candidate = digest(presented);
      if (accepted.some((token) => timingSafeEqual(token, candidate))) return;
    }
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
