import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the recorder received, as a webhook receiver sees it. */
export interface RecordedRequest {
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The absolute URL the request was made to (what Twilio signs). */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Form fields (POST) or query fields (GET); a repeated key keeps its last value. */
  params: Record<string, string>;
  at: number;
}

export interface WebhookAnswer {
  status?: number;
  contentType?: string;
  body?: string;
}

export interface WebhookRecorder {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  requests: RecordedRequest[];
  /** Requests whose path (without query) is `path`, in arrival order. */
  to(path: string): RecordedRequest[];
  waitFor<T>(probe: (requests: RecordedRequest[]) => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback standing in for Recontact's webhooks: it records every request
 * and answers with what `answer` returns (default: 200, empty TwiML).
 */
export async function startWebhookRecorder(
  answer: (request: RecordedRequest) => WebhookAnswer | undefined = () => undefined,
): Promise<WebhookRecorder> {
  const requests: RecordedRequest[] = [];
  const listeners = new Set<() => void>();
  let base = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const url = `${base}${path}`;
      const body = Buffer.concat(chunks).toString('utf8');
      const source = req.method === 'GET' ? new URL(url).searchParams : new URLSearchParams(body);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        url,
        headers: req.headers,
        params: Object.fromEntries(source),
        at: Date.now(),
      };
      requests.push(recorded);
      for (const listener of listeners) listener();
      const reply = answer(recorded) ?? {};
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'text/xml' });
      res.end(reply.body ?? '<?xml version="1.0" encoding="UTF-8"?><Response/>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    to: (path) => requests.filter((request) => request.path.split('?')[0] === path),
    waitFor: (probe, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const value = probe(requests);
          if (value === undefined) return;
          done();
          resolve(value);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`webhook recorder: nothing matched within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
