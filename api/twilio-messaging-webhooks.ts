import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { z } from 'zod';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ReplyRoute } from '../domain/replies/choose-reply-route';
import { deliveryStatusSignal, inboundReplySignal } from '../workflows/channel-signals';
import { apiError } from './errors';
import { verifiedTwilioParams } from './twilio-signature';
import { classifyInboundKeyword } from '../domain/sms-keywords';
import type { StatusReportInput } from '../store/provider-reports';

/** What the Twilio webhooks need from the rest of Recontact. */
export interface MessagingWebhookDeps {
  temporal: Client;
  /** The Twilio auth token signatures are made with (the sandbox's when no credentials are set). */
  authToken: string;
  /** Public base URL Twilio calls us at; signatures cover it. */
  publicUrl: string;
  /** Claims a delivery token: true only for the first claim. */
  claimWebhook(token: string): Promise<boolean>;
  /** Gives a claim back when processing failed, so the provider's retry is processed. */
  releaseWebhook(token: string): Promise<void>;
  /** STOP and START for a number. */
  optOut(address: string, source: string): Promise<void>;
  /** Lifts what STOP recorded; false when the number stays opted out (another source, do-not-contact). */
  optIn(address: string): Promise<boolean>;
  /**
   * Records the call a status callback reports as its attempt's, when the attempt has none yet:
   * placeCall's crash recovery adopts only a SID recorded for its own attempt key.
   */
  recordCallSid(attemptKey: string, callSid: string): Promise<void>;
  /** Keeps a send's latest delivery status (and a call's seconds) for the KPI report. */
  recordStatusReport(report: StatusReportInput): Promise<void>;
  /** Which waiting outreach a reply from this number answers (api/reply-routing.ts). */
  routeReply(address: string, body: string): Promise<ReplyRoute>;
  /** Reply texts (already rendered for the sender's locale). */
  replies: {
    optedOut: string;
    optedIn: string;
    stillOptedOut: string;
    help: string;
    /** The question back when a reply could answer more than one outreach. */
    whichOutreach: string;
  };
}

const statusQuerySchema = z.object({
  workflowId: z.string().min(1),
  attemptKey: z.string().min(1),
  channel: z.enum(['sms', 'voice']),
});

/**
 * Twilio's webhooks: status callbacks → a signal to the owning workflow (correlated by the
 * attempt key and workflow id in the signed callback URL), inbound SMS → opt-out keywords, or a
 * reply routed to the waiting outreach it answers, or a question back when it could answer two. Every request must carry a valid `X-Twilio-Signature`
 * for the public URL; a forged or missing one gets 403 and changes nothing.
 */
export function registerMessagingWebhooks(app: FastifyInstance, deps: MessagingWebhookDeps): void {
  const verified = (request: FastifyRequest, reply: FastifyReply) =>
    verifiedTwilioParams(request, reply, deps.authToken, deps.publicUrl);

  /** Runs `work` once per Twilio delivery token; a redelivery of a processed one is acknowledged only. */
  const once = async (request: FastifyRequest, work: () => Promise<void>): Promise<void> => {
    const token = request.headers['i-twilio-idempotency-token'];
    if (typeof token !== 'string' || token === '') {
      await work();
      return;
    }
    if (!(await deps.claimWebhook(token))) return;
    try {
      await work();
    } catch (error) {
      // Twilio retries a failed delivery with the same token: let that retry do the work.
      await deps.releaseWebhook(token);
      throw error;
    }
  };

  app.post('/webhooks/twilio/status', { schema: { hide: true } }, async (request, reply) => {
    const params = verified(request, reply);
    if (params === undefined) return reply;
    const query = statusQuerySchema.safeParse(request.query);
    if (!query.success) {
      return reply.code(400).send(apiError(400, 'invalid_request', 'status callback without its attempt'));
    }
    const { workflowId, attemptKey, channel } = query.data;
    await once(request, async () => {
      // Before the signal: the record must exist even if the owning run has closed.
      if (channel === 'voice' && params.CallSid) await deps.recordCallSid(attemptKey, params.CallSid);
      const status = (params.MessageStatus ?? params.CallStatus ?? 'unknown').toLowerCase();
      const seconds = Number(params.CallDuration);
      await deps.recordStatusReport({
        attemptKey,
        channel,
        status,
        ...(params.CallDuration !== undefined && Number.isInteger(seconds) && seconds >= 0
          ? { durationSeconds: seconds }
          : {}),
      });
      try {
        await deps.temporal.workflow.getHandle(workflowId).signal(deliveryStatusSignal, {
          attemptKey,
          channel,
          providerId: params.MessageSid ?? params.CallSid ?? '',
          status,
          ...(params.ErrorCode ? { errorCode: Number(params.ErrorCode) } : {}),
          ...(params.AnsweredBy ? { answeredBy: params.AnsweredBy } : {}),
          ...(params.DialCallStatus ? { dialCallStatus: params.DialCallStatus } : {}),
          receivedAt: Date.now(),
        });
      } catch (error) {
        // The run has closed (a text's later statuses often arrive after its run is done): nobody
        // waits for this status any more, and a retry would find the run just as closed. Acknowledge
        // it, and keep the claim so a redelivery is acknowledged only.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        request.log.info({ workflowId, attemptKey }, 'status callback for a closed run');
      }
    });
    return reply.code(204).send();
  });

  app.post('/webhooks/twilio/sms', { schema: { hide: true } }, async (request, reply) => {
    const params = verified(request, reply);
    if (params === undefined) return reply;
    const from = params.From ?? '';
    const body = params.Body ?? '';
    let answer: string | undefined;
    await once(request, async () => {
      switch (classifyInboundKeyword(body)) {
        case 'opt-out':
          await deps.optOut(from, 'sms-stop');
          answer = deps.replies.optedOut;
          return;
        case 'opt-in':
          answer = (await deps.optIn(from)) ? deps.replies.optedIn : deps.replies.stillOptedOut;
          return;
        case 'help':
          answer = deps.replies.help;
          return;
        case 'other': {
          const route = await deps.routeReply(from, body);
          if (route.kind === 'ambiguous') {
            // Never a guess that could cancel something else: nobody gets it, the customer is asked.
            answer = deps.replies.whichOutreach;
            return;
          }
          if (route.kind === 'nobody') return;
          try {
            await deps.temporal.workflow.getHandle(route.workflowId).signal(inboundReplySignal, {
              from,
              to: params.To ?? '',
              body: route.body,
              messageSid: params.MessageSid ?? '',
              receivedAt: Date.now(),
            });
          } catch (error) {
            // It closed since the route was chosen: nobody waits for this answer any more.
            if (!(error instanceof WorkflowNotFoundError)) throw error;
          }
        }
      }
    });
    return reply.type('text/xml').send(twiml(answer));
  });
}

function twiml(message: string | undefined): string {
  const response = new twilio.twiml.MessagingResponse();
  if (message !== undefined) response.message(message);
  return response.toString();
}
