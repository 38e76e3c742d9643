import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import { categorySchema, purposeSchema } from '../../domain/policy';
import { ChannelFailure } from '../../domain/channel-failures';
import type { ContactStore } from '../../store';
import { refuseBlockedContact } from './refuse-blocked-contact';
import { classifySmtpError, toActivityFailure } from './provider-errors';
import { messageContentSchema, type RenderMessage } from './message-content';
import { decideThenTakeSlot, finalCheckSchema, touchOf, type HeldSend, type PassGate } from './contact-gate';

export const emailRequestSchema = z.object({
  /** Stable across retries of this activity and unique per attempt. */
  attemptKey: z.string().min(1).max(300),
  workflowId: z.string().min(1),
  to: z.email().transform((address) => address.toLowerCase()),
  content: messageContentSchema,
  customerKey: z.string().min(1),
  purpose: purposeSchema,
  category: categorySchema,
  /** Extra headers, e.g. List-Unsubscribe for marketing. */
  headers: z.record(z.string(), z.string()).default({}),
  /** For the final contact decision (contact-gate.ts); absent only in tasks of an older build. */
  check: finalCheckSchema.optional(),
  /**
   * An e-mail to staff about the customer (a supervisor's rescue alert): not a touch of the customer,
   * so it stays out of their contact log and frequency caps.
   */
  toStaff: z.boolean().default(false),
});
export type EmailRequest = z.input<typeof emailRequestSchema>;

export type EmailResult = { sent: true; messageId: string; alreadySent: boolean } | HeldSend;

export interface SendEmailDeps {
  /** Waits for this process's pacing slot (worker/create-worker.ts); none in tests of the activity alone. */
  waitForSlot?: () => Promise<void>;
  /** The final contact decision (contact-gate.ts); none in tests of the activity alone. */
  passGate?: PassGate;
  mailer: Transporter;
  store: ContactStore;
  render: RenderMessage;
  from: string;
  /** Domain of the pinned Message-IDs. @default "recontact.invalid" */
  messageIdDomain?: string;
  now?: () => number;
  /** Names the customer by key in failure messages; without it they are named "[phone]"/"[email]". */
  customerKeySecret?: string;
}

/**
 * Sends one e-mail per attempt key. SMTP has no idempotency, so the Message-ID is pinned per
 * attempt: a resend after an ambiguous failure (connection lost after DATA) carries the same
 * Message-ID, which lets the receiving side — and our outbox — recognise it as a duplicate.
 */
export function createSendEmail(deps: SendEmailDeps) {
  const now = deps.now ?? Date.now;
  const domain = deps.messageIdDomain ?? 'recontact.invalid';
  return async function sendEmail(request: EmailRequest): Promise<EmailResult> {
    const input = emailRequestSchema.parse(request);
    await refuseBlockedContact(deps.store, input.to, 'email', deps.customerKeySecret);
    const rendered = deps.render(input.content);
    if (rendered.subject === undefined) {
      throw ApplicationFailure.nonRetryable(
        `email: template ${input.content.template} has no subject`,
        ChannelFailure.InvalidContent,
      );
    }
    const messageId = `<${createHash('sha256').update(input.attemptKey).digest('hex').slice(0, 32)}@${domain}>`;
    const { attempt } = await deps.store.beginAttempt({
      attemptKey: input.attemptKey,
      channel: 'email',
      to: input.to,
      startedAt: now(),
    });
    if (attempt.providerId !== null) return { sent: true, messageId: attempt.providerId, alreadySent: true };

    const gate = await decideThenTakeSlot(
      { passGate: deps.passGate, waitForSlot: deps.waitForSlot, store: deps.store, now },
      touchOf(input, 'email', input.to),
    );
    // Nothing reached the provider: the attempt stays open, and the run asks again under this key.
    if (gate.verdict !== 'allowed') return gate;
    try {
      await deps.mailer.sendMail({
        from: deps.from,
        to: input.to,
        subject: rendered.subject,
        text: rendered.text,
        messageId,
        headers: { 'Content-Language': rendered.locale, ...input.headers },
      });
    } catch (error) {
      const errorClass = classifySmtpError(error);
      if (errorClass.failure !== 'Retryable') {
        await deps.store.completeAttempt(input.attemptKey, 'failed');
        await deps.store.releaseReservation(input.attemptKey);
      }
      throw toActivityFailure(errorClass, error, 'email', {
        address: input.to,
        customerKeySecret: deps.customerKeySecret,
      });
    }
    await deps.store.recordProviderId(input.attemptKey, messageId);
    if (input.toStaff) return { sent: true, messageId, alreadySent: false };
    await deps.store.logContact({
      entryId: input.attemptKey,
      customerKey: input.customerKey,
      address: input.to,
      channel: 'email',
      purpose: input.purpose,
      category: input.category,
      at: now(),
      outcome: 'sent',
      workflowId: input.workflowId,
    });
    return { sent: true, messageId, alreadySent: false };
  };
}
