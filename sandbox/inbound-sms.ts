import { z } from 'zod';
import type { Outbox, OutboxMessage } from './outbox';
import { newSid } from './sids';
import type { WebhookSender } from './signed-webhooks';
import { API_VERSION, countSegments } from './twilio-resources';
import { parseTwiml, TwimlParseError } from './twiml-parser';

export const inboundSmsSchema = z.object({
  /** The customer's number: who texts. */
  from: z.string().min(1),
  /** Our Twilio number: who receives. */
  to: z.string().min(1),
  body: z.string(),
  /** Where the webhook goes; @default the sandbox's `inboundSmsUrl`. */
  url: z.url({ protocol: /^https?$/ }).optional(),
});
export type InboundSms = z.infer<typeof inboundSmsSchema>;

export interface InboundSmsResult {
  messageSid: string;
  url: string;
  /** HTTP status of the webhook's answer; null when none came. */
  httpStatus: number | null;
  contentType: string | null;
  /** What the webhook answered, as text (TwiML). */
  twiml: string;
  /** `<Message>` replies in that TwiML, sent back to the customer (also in the outbox). */
  replies: { sid: string; from: string; to: string; body: string }[];
  error: string | null;
}

export interface InboundSmsDeps {
  accountSid: string;
  outbox: Outbox;
  webhooks: WebhookSender;
  /** Starts an outbound reply's lifecycle (queued → … → delivered). */
  startMessage(message: OutboxMessage): void;
}

/**
 * A customer texts our number: the sandbox records the inbound message, POSTs Twilio's signed
 * inbound-message webhook (MessageSid, SmsSid, AccountSid, From, To, Body, NumMedia, …) to `url`,
 * and sends every `<Message>` of the TwiML answer back to the customer.
 */
export async function simulateInboundSms(
  input: InboundSms,
  url: string,
  deps: InboundSmsDeps,
): Promise<InboundSmsResult> {
  const now = Date.now();
  const inbound: OutboxMessage = {
    sid: newSid('SM'),
    accountSid: deps.accountSid,
    direction: 'inbound',
    from: input.from,
    to: input.to,
    body: input.body,
    numSegments: countSegments(input.body),
    numMedia: 0,
    messagingServiceSid: null,
    status: 'received',
    errorCode: null,
    errorMessage: null,
    statusCallback: null,
    scenario: 'inbound',
    acceptedAt: now,
    dateCreated: now,
    dateUpdated: now,
    dateSent: now,
    events: [{ status: 'received', at: now }],
  };
  deps.outbox.addMessage(inbound);
  const result = await deps.webhooks.send({
    kind: 'inbound-sms',
    resourceSid: inbound.sid,
    url,
    method: 'POST',
    params: {
      AccountSid: deps.accountSid,
      ApiVersion: API_VERSION,
      Body: input.body,
      From: input.from,
      To: input.to,
      MessageSid: inbound.sid,
      SmsMessageSid: inbound.sid,
      SmsSid: inbound.sid,
      SmsStatus: 'received',
      NumMedia: '0',
      NumSegments: String(inbound.numSegments),
    },
  });
  const twiml = result.response?.body ?? '';
  const replies: InboundSmsResult['replies'] = [];
  let error = result.error ?? null;
  const ok =
    result.response !== undefined && result.response.httpStatus >= 200 && result.response.httpStatus < 300;
  if (ok && twiml.trim() !== '') {
    try {
      for (const verb of parseTwiml(twiml).children) {
        if (verb.name !== 'Message') continue;
        const body = verb.children.find((child) => child.name === 'Body')?.text ?? verb.text;
        const reply = outboundReply(
          deps.accountSid,
          verb.attributes.from ?? input.to,
          verb.attributes.to ?? input.from,
          body,
        );
        deps.outbox.addMessage(reply);
        deps.startMessage(reply);
        replies.push({ sid: reply.sid, from: reply.from, to: reply.to, body });
      }
    } catch (parseError) {
      if (!(parseError instanceof TwimlParseError)) throw parseError;
      error = `12100 Document parse failure: ${parseError.message}`;
    }
  }
  return {
    messageSid: inbound.sid,
    url,
    httpStatus: result.response?.httpStatus ?? null,
    contentType: result.response?.contentType ?? null,
    twiml,
    replies,
    error,
  };
}

function outboundReply(accountSid: string, from: string, to: string, body: string): OutboxMessage {
  const now = Date.now();
  return {
    sid: newSid('SM'),
    accountSid,
    direction: 'outbound-reply',
    from,
    to,
    body,
    numSegments: countSegments(body),
    numMedia: 0,
    messagingServiceSid: null,
    status: 'queued',
    errorCode: null,
    errorMessage: null,
    statusCallback: null,
    scenario: 'reply',
    acceptedAt: now,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
    events: [{ status: 'queued', at: now }],
  };
}
