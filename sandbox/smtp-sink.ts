import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { Outbox, OutboxEmail } from './outbox';

/** Recipients at this domain (or a subdomain) are refused with `550 5.1.1`: a permanent recipient error. */
export const REJECT_DOMAIN = 'reject.test';
/** Recipients at this domain (or a subdomain) are deferred with `451 4.3.0`: a temporary error. */
export const DEFER_DOMAIN = 'defer.test';

export interface SmtpSinkOptions {
  outbox: Outbox;
  /** Loopback only. @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
}

export interface SmtpSink {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps what it receives: no TLS, AUTH optional (any
 * credentials pass), each mail parsed with mailparser into the outbox. Recipients
 * `…@reject.test` get `550 5.1.1` and `…@defer.test` get `451 4.3.0` at RCPT TO.
 */
export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const server = new SMTPServer({
    name: 'recontact-sandbox',
    banner: 'Recontact sandbox SMTP sink',
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'sandbox' });
    },
    onRcptTo(address, _session, callback) {
      callback(recipientError(address));
    },
    onData(stream, session, callback) {
      const envelope = {
        from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((recipient) => recipient.address),
      };
      simpleParser(stream)
        .then((mail) => {
          options.outbox.addEmail(toOutboxEmail(mail, envelope));
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that vanished mid-session must not crash the process.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    host,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function recipientError(address: SMTPServerAddress): Error | null {
  const domain = address.address.split('@').pop()?.toLowerCase() ?? '';
  const at = (name: string): boolean => domain === name || domain.endsWith(`.${name}`);
  if (at(REJECT_DOMAIN)) {
    return Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), {
      responseCode: 550,
    });
  }
  if (at(DEFER_DOMAIN)) {
    return Object.assign(new Error(`4.3.0 <${address.address}>: Temporary failure, try again later`), {
      responseCode: 451,
    });
  }
  return null;
}

type ParsedMail = Awaited<ReturnType<typeof simpleParser>>;

function toOutboxEmail(mail: ParsedMail, envelope: OutboxEmail['envelope']): OutboxEmail {
  const headers: Record<string, string> = {};
  for (const { key, line } of mail.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}\n${value}`;
  }
  return {
    messageId: mail.messageId ?? null,
    envelope,
    from: addresses(mail.from)[0] ?? null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ?? null,
    text: mail.text ?? null,
    html: typeof mail.html === 'string' ? mail.html : null,
    headers,
    receivedAt: Date.now(),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) =>
    object.value.flatMap((entry) => {
      if (!entry.address) return [];
      return [entry.name ? `${entry.name} <${entry.address}>` : entry.address];
    }),
  );
}
