import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { z } from 'zod';

export const smtpTransportOptionsSchema = z.object({
  /** smtp://user:pass@host:port or smtps://…; the relay e-mail goes through. */
  url: z.string().url(),
  /** Pooled connections. @default 5 (nodemailer's default) */
  maxConnections: z.number().int().min(1).default(5),
  /** Messages per connection before it is recycled. @default 100 */
  maxMessages: z.number().int().min(1).default(100),
  /**
   * Upper bound on messages per second from this process, a guard under the task-queue rate
   * limit that paces e-mail across all workers.
   */
  perSecond: z.number().positive().optional(),
});
export type SmtpTransportOptions = z.input<typeof smtpTransportOptionsSchema>;

/** A pooled nodemailer transport; the one place the SMTP relay is configured. */
export function createSmtpTransport(options: SmtpTransportOptions): Transporter<SMTPPool.SentMessageInfo> {
  const parsed = smtpTransportOptionsSchema.parse(options);
  const url = new URL(parsed.url);
  return nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    maxConnections: parsed.maxConnections,
    maxMessages: parsed.maxMessages,
    ...(parsed.perSecond !== undefined
      ? { rateDelta: 1000, rateLimit: Math.max(1, Math.floor(parsed.perSecond)) }
      : {}),
    // A local sink on loopback has no certificate; a real relay does and is verified.
    tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(url.hostname) },
  });
}
