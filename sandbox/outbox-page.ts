import type { OutboxCall, OutboxSnapshot } from './outbox';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const time = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().slice(11, 23));

/**
 * The outbox as a plain page for people: messages, calls with their legs and verbs, e-mails and
 * webhooks. Every value that came from a request (numbers, bodies, subjects, URLs, TwiML) is
 * escaped; the page has no script.
 */
export function renderOutboxPage(outbox: OutboxSnapshot): string {
  const rows = (cells: unknown[]): string =>
    `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
  const table = (head: string[], body: string[]): string =>
    body.length === 0
      ? '<p class="empty">None yet.</p>'
      : `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;

  const messages = [...outbox.messages]
    .reverse()
    .map((m) =>
      rows([
        time(m.acceptedAt),
        m.sid,
        m.direction,
        m.from,
        m.to,
        m.status,
        m.errorCode ?? '',
        m.body,
        m.events.map((e) => e.status).join(' → '),
      ]),
    );

  const callRows = (call: OutboxCall, depth: number): string[] => [
    rows([
      time(call.acceptedAt),
      `${depth > 0 ? '↳ ' : ''}${call.sid}`,
      call.from,
      call.to,
      call.status,
      call.answeredBy ?? '',
      call.durationSeconds ?? '',
      call.events.map((e) => e.status).join(' → '),
      call.verbs
        .map((v) => `${v.verb}${v.text ? ` ${v.text}` : ''}${v.note ? ` (${v.note})` : ''}`)
        .join(' · '),
      call.errors.map((e) => `${e.code} ${e.message}`).join('; '),
    ]),
    ...call.legs.flatMap((leg) => callRows(leg, depth + 1)),
  ];
  const calls = [...outbox.calls].reverse().flatMap((call) => callRows(call, 0));

  const emails = [...outbox.emails]
    .reverse()
    .map((e) =>
      rows([
        time(e.receivedAt),
        e.messageId ?? '',
        e.from ?? '',
        e.to.join(', '),
        e.subject ?? '',
        e.text ?? '',
      ]),
    );

  const callbacks = [...outbox.callbacks]
    .reverse()
    .slice(0, 200)
    .map((c) =>
      rows([
        time(c.deliveries[0]?.at ?? null),
        c.id,
        c.kind,
        c.resourceSid,
        `${c.method} ${c.url}`,
        c.params.MessageStatus ?? c.params.CallStatus ?? c.params.AnsweredBy ?? '',
        c.deliveries.map((d) => d.httpStatus ?? d.error).join(', '),
      ]),
    );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>Recontact sandbox outbox</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td { white-space: pre-wrap; word-break: break-word; }
.empty { color: #777; }
</style>
</head>
<body>
<h1>Recontact sandbox outbox</h1>
<p>Everything the Twilio sandbox and the SMTP sink accepted (newest first; times in UTC). JSON: <a href="/sandbox/outbox">/sandbox/outbox</a>.</p>
<h2>Messages (${outbox.messages.length})</h2>
${table(['accepted', 'sid', 'direction', 'from', 'to', 'status', 'error', 'body', 'states'], messages)}
<h2>Calls (${outbox.calls.length})</h2>
${table(['accepted', 'sid', 'from', 'to', 'status', 'answered by', 'seconds', 'states', 'verbs', 'errors'], calls)}
<h2>E-mails (${outbox.emails.length})</h2>
${table(['received', 'message-id', 'from', 'to', 'subject', 'text'], emails)}
<h2>Webhooks sent (${outbox.callbacks.length}, last 200)</h2>
${table(['sent', 'id', 'kind', 'resource', 'request', 'status', 'answers'], callbacks)}
</body>
</html>
`;
}
