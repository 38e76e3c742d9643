import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { z } from 'zod';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { deliveryStatusSignal, type DeliveryStatus } from '../workflows/channel-signals';
import type { RenderedMessage } from '../domain/templates';
import { verifiedTwilioParams } from './twilio-signature';

export interface VoiceWebhookDeps {
  temporal: Client;
  authToken: string;
  publicUrl: string;
  /** Caller id shown to the customer. */
  callerId: string;
  /** The customer's number for an attempt (read from the attempt record, never from a URL). */
  customerNumberOf(attemptKey: string): Promise<string | undefined>;
  render(template: string, locale: string): RenderedMessage;
  /** Seconds the customer's phone rings before the dial counts as no-answer. @default 30 */
  dialTimeoutSeconds?: number;
}

const bridgeQuerySchema = z.object({
  workflowId: z.string().min(1),
  attemptKey: z.string().min(1),
  locale: z.string().min(2),
  onVoicemail: z.enum(['leave-message', 'hang-up']),
});

/**
 * The TwiML of an agent-first callback. Twilio rang the agent (placeCall); when the agent
 * answers, `agent-answered` whispers who is next and `<Dial>`s the customer with answering-
 * machine detection. `customer-answered` runs on the customer leg before it is bridged: a
 * machine gets the voicemail message (or a hang-up), a person is bridged to the agent.
 * `dial-result` reports how the customer leg ended to the workflow.
 */
export function registerVoiceWebhooks(app: FastifyInstance, deps: VoiceWebhookDeps): void {
  const routeUrl = (route: string, query: z.infer<typeof bridgeQuerySchema>): string =>
    `${deps.publicUrl}/webhooks/twilio/voice/${route}?${new URLSearchParams(query).toString()}`;
  const language = (locale: string): 'en-US' | 'es-ES' => (locale.startsWith('es') ? 'es-ES' : 'en-US');

  app.post('/webhooks/twilio/voice/agent-answered', { schema: { hide: true } }, async (request, reply) => {
    const params = verifiedTwilioParams(request, reply, deps.authToken, deps.publicUrl);
    if (params === undefined) return reply;
    const query = bridgeQuerySchema.parse(request.query);
    const response = new twilio.twiml.VoiceResponse();
    const customer = await deps.customerNumberOf(query.attemptKey);
    if (customer === undefined) {
      response.say('This callback is no longer available.');
      response.hangup();
      return reply.type('text/xml').send(response.toString());
    }
    response.say({ language: language(query.locale) }, deps.render('voice.agent.whisper', query.locale).text);
    const dial = response.dial({
      action: routeUrl('dial-result', query),
      method: 'POST',
      timeout: deps.dialTimeoutSeconds ?? 30,
      callerId: deps.callerId,
      answerOnBridge: true,
    });
    dial.number(
      {
        machineDetection: 'DetectMessageEnd',
        url: routeUrl('customer-answered', query),
        method: 'POST',
      },
      customer,
    );
    return reply.type('text/xml').send(response.toString());
  });

  app.post('/webhooks/twilio/voice/customer-answered', { schema: { hide: true } }, async (request, reply) => {
    const params = verifiedTwilioParams(request, reply, deps.authToken, deps.publicUrl);
    if (params === undefined) return reply;
    const query = bridgeQuerySchema.parse(request.query);
    const answeredBy = params.AnsweredBy ?? 'unknown';
    await signalIfOpen(deps.temporal, query.workflowId, {
      attemptKey: query.attemptKey,
      channel: 'voice',
      providerId: params.CallSid ?? '',
      status: 'customer-answered',
      answeredBy,
      receivedAt: Date.now(),
    });
    const response = new twilio.twiml.VoiceResponse();
    if (answeredBy.startsWith('machine') || answeredBy === 'fax') {
      if (query.onVoicemail === 'leave-message' && answeredBy.startsWith('machine')) {
        response.say({ language: language(query.locale) }, deps.render('voice.voicemail', query.locale).text);
      }
      response.hangup();
    }
    // An empty response bridges the customer to the waiting agent.
    return reply.type('text/xml').send(response.toString());
  });

  app.post('/webhooks/twilio/voice/dial-result', { schema: { hide: true } }, async (request, reply) => {
    const params = verifiedTwilioParams(request, reply, deps.authToken, deps.publicUrl);
    if (params === undefined) return reply;
    const query = bridgeQuerySchema.parse(request.query);
    await signalIfOpen(deps.temporal, query.workflowId, {
      attemptKey: query.attemptKey,
      channel: 'voice',
      providerId: params.DialCallSid ?? params.CallSid ?? '',
      status: 'dial-result',
      dialCallStatus: params.DialCallStatus ?? 'unknown',
      ...(params.AnsweredBy ? { answeredBy: params.AnsweredBy } : {}),
      receivedAt: Date.now(),
    });
    const response = new twilio.twiml.VoiceResponse();
    response.hangup();
    return reply.type('text/xml').send(response.toString());
  });
}

/**
 * Tells the run what its call did. A run that has closed since (cancelled while the phones rang)
 * no longer listens, but the call still needs its TwiML: an error here would make Twilio play an
 * "application error" to a customer who has just picked up.
 */
async function signalIfOpen(temporal: Client, workflowId: string, status: DeliveryStatus): Promise<void> {
  try {
    await temporal.workflow.getHandle(workflowId).signal(deliveryStatusSignal, status);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
