import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import type { Outbox, OutboxCallback } from './outbox';

export interface WebhookRequest {
  kind: OutboxCallback['kind'];
  resourceSid: string;
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
}

export interface WebhookResponse {
  httpStatus: number;
  contentType: string | null;
  body: string;
}

export interface WebhookResult {
  callback: OutboxCallback;
  response?: WebhookResponse;
  /** Set when no HTTP answer came back (refused, reset, timed out). */
  error?: string;
}

/**
 * Makes webhook requests the way Twilio does: form-encoded POST (or GET with the parameters in
 * the query string), `X-Twilio-Signature` computed by the `twilio` library's own signing
 * function over the URL and parameters with the account's auth token, and an
 * `I-Twilio-Idempotency-Token` that stays the same when the same delivery is sent again.
 */
export class WebhookSender {
  constructor(
    private readonly authToken: string,
    private readonly outbox: Outbox,
    private readonly timeoutMs: number,
    /** Aborts requests in flight when the sandbox stops. */
    private readonly stopSignal?: AbortSignal,
  ) {}

  async send(request: WebhookRequest): Promise<WebhookResult> {
    const target = request.method === 'GET' ? withQuery(request.url, request.params) : request.url;
    const signature = twilio.getExpectedTwilioSignature(
      this.authToken,
      target,
      request.method === 'GET' ? {} : request.params,
    );
    const callback = this.outbox.addCallback({
      kind: request.kind,
      resourceSid: request.resourceSid,
      url: target,
      method: request.method,
      params: request.params,
      signature,
      idempotencyToken: randomUUID(),
      deliveries: [],
    });
    return this.deliver(callback);
  }

  /** Sends a recorded webhook again, byte for byte: same signature, same idempotency token. */
  async redeliver(id: number): Promise<WebhookResult | undefined> {
    const callback = this.outbox.findCallback(id);
    return callback === undefined ? undefined : this.deliver(callback);
  }

  private async deliver(callback: OutboxCallback): Promise<WebhookResult> {
    const at = Date.now();
    try {
      const response = await fetch(callback.url, {
        method: callback.method,
        headers: {
          'X-Twilio-Signature': callback.signature,
          'I-Twilio-Idempotency-Token': callback.idempotencyToken,
          'User-Agent': 'TwilioProxy/1.1',
          Accept: '*/*',
          ...(callback.method === 'POST'
            ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }
            : {}),
        },
        body: callback.method === 'POST' ? new URLSearchParams(callback.params).toString() : undefined,
        redirect: 'manual',
        signal: this.stopSignal
          ? AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stopSignal])
          : AbortSignal.timeout(this.timeoutMs),
      });
      const body = await response.text();
      callback.deliveries.push({ at, httpStatus: response.status, error: null });
      this.outbox.changed();
      return {
        callback,
        response: { httpStatus: response.status, contentType: response.headers.get('content-type'), body },
      };
    } catch (error) {
      const message = describe(error);
      callback.deliveries.push({ at, httpStatus: null, error: message });
      this.outbox.changed();
      return { callback, error: message };
    }
  }
}

function withQuery(url: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  if (query === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
