import twilio from 'twilio';
import type LibraryRequestClient from 'twilio/lib/base/RequestClient';
import type LibraryResponse from 'twilio/lib/http/response';
import { z } from 'zod';

export const twilioClientOptionsSchema = z.object({
  /** Account SID (`AC` + 32 hex digits): the real account's, or the sandbox's. */
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits'),
  /** Auth token: Basic-auth password for the API and the key webhooks are signed with. */
  authToken: z.string().min(1),
  /**
   * Base URL of the Twilio sandbox, e.g. `http://127.0.0.1:3010`. Set → every request the library
   * makes to `https://<anything>.twilio.com/...` goes there instead (same path and query). Unset →
   * the real Twilio.
   */
  sandboxUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  /**
   * Retry HTTP 429 (error 20429) with exponential back-off and full jitter, as the library's
   * RequestClient does. Only 429 is retried; 5xx and timeouts are left to the caller, which must
   * check with the provider before sending again. @default false
   */
  autoRetry: z.boolean().default(false),
  /**
   * How many times a 429 is retried when `autoRetry` is on. `0` turns retrying off (the library
   * itself would read 0 as its default of 3). @default 3
   */
  maxRetries: z.number().int().min(0).max(20).default(3),
  /** Upper bound of one back-off delay in ms. @default 3000 (the library's) */
  maxRetryDelayMs: z.number().int().min(1).optional(),
  /** Request timeout in ms. @default 30000 (the library's) */
  timeoutMs: z.number().int().min(1).optional(),
});

export type TwilioClientOptions = z.input<typeof twilioClientOptionsSchema>;
export type TwilioClient = twilio.Twilio;

/**
 * The library's own HTTP client with one change: `https://*.twilio.com` is rewritten to the
 * sandbox's base URL. Using the supported `httpClient` hook keeps everything else — auth,
 * serialisation, paging, RestException, 429 retries — exactly the library's.
 */
export class SandboxRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(sandboxUrl: string, options: LibraryRequestClient.RequestClientOptions = {}) {
    super(options);
    this.base = new URL(sandboxUrl);
  }

  override request<TData>(opts: LibraryRequestClient.RequestOptions<TData>): Promise<LibraryResponse<TData>> {
    return super.request<TData>({ ...opts, uri: this.rewrite(opts.uri) });
  }

  /** `https://api.twilio.com/2010-04-01/...?x=1` → `<sandbox>/2010-04-01/...?x=1`; other URLs unchanged. */
  rewrite(uri: string): string {
    const url = new URL(uri);
    const host = url.hostname.toLowerCase();
    if (host !== 'twilio.com' && !host.endsWith('.twilio.com')) return uri;
    const basePath = this.base.pathname.replace(/\/+$/, '');
    return `${this.base.origin}${basePath}${url.pathname}${url.search}`;
  }
}

/**
 * The official `twilio` client: the real Twilio, or — with `sandboxUrl` — the local sandbox through
 * the library's custom `httpClient`. Callers cannot tell the two apart.
 *
 * @example
 * const client = createTwilioClient({ accountSid, authToken, sandboxUrl: sandbox.url });
 * await client.messages.create({ to: '+15005550006', from: '+15005550006', body: 'Hi' });
 */
export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const parsed = twilioClientOptionsSchema.parse(options);
  const autoRetry = parsed.autoRetry && parsed.maxRetries > 0;
  const requestOptions = {
    autoRetry,
    maxRetries: parsed.maxRetries,
    ...(parsed.maxRetryDelayMs !== undefined ? { maxRetryDelay: parsed.maxRetryDelayMs } : {}),
    ...(parsed.timeoutMs !== undefined ? { timeout: parsed.timeoutMs } : {}),
  };
  if (parsed.sandboxUrl === undefined) {
    return twilio(parsed.accountSid, parsed.authToken, requestOptions);
  }
  return twilio(parsed.accountSid, parsed.authToken, {
    httpClient: new SandboxRequestClient(parsed.sandboxUrl, requestOptions),
  });
}
