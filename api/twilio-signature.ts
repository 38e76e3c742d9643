import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { z } from 'zod';
import { apiError } from './errors';

const formBody = z.record(z.string(), z.string());

/** Twilio posts webhooks form-encoded; this parses them into plain fields. */
export function acceptTwilioForms(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
}

/**
 * The request's form fields when its `X-Twilio-Signature` matches the public URL it was sent
 * to; otherwise answers 403 and returns undefined. Nothing may change before this passes.
 */
export function verifiedTwilioParams(
  request: FastifyRequest,
  reply: FastifyReply,
  authToken: string,
  publicUrl: string,
): Record<string, string> | undefined {
  const params = formBody.safeParse(request.body ?? {});
  const signature = request.headers['x-twilio-signature'];
  if (
    params.success &&
    typeof signature === 'string' &&
    twilio.validateRequest(authToken, signature, `${publicUrl}${request.url}`, params.data)
  ) {
    return params.data;
  }
  void reply.code(403).send(
    apiError(403, 'invalid_signature', 'X-Twilio-Signature does not match this request', [
      {
        field: 'headers.x-twilio-signature',
        rule: typeof signature === 'string' ? 'signature' : 'required',
        message: 'Twilio signs every webhook with the auth token over the public URL and the form fields',
      },
    ]),
  );
  return undefined;
}
