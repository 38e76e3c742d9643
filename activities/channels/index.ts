import type { Transporter } from 'nodemailer';
import type { Twilio } from 'twilio';
import type { Channel, ContactPolicy } from '../../domain/policy';
import type { ContactStore } from '../../store';
import { createSendEmail } from './send-email';
import { createSendSms } from './send-sms';
import { createEndCall, createPlaceCall } from './place-call';
import { createCallStatus } from './call-status';
import type { RenderMessage } from './message-content';
import { createContactGate } from './contact-gate';
import { countSends } from '../../metrics/count-sends';
import { timeClaimToCall } from '../../metrics/time-claim-to-call';
import type { DomainMetrics } from '../../metrics/domain-metrics';

export interface ChannelDeps {
  twilio: Twilio;
  mailer: Transporter;
  store: ContactStore;
  render: RenderMessage;
  smsFrom: string;
  voiceFrom: string;
  emailFrom: string;
  /** Public base URL for Twilio's callbacks. */
  publicUrl: string;
  /** The contact rules, for the final decision right before each provider call. */
  policy: ContactPolicy;
  /** Keys the contact log by customer, as the workflow worker does. */
  customerKeySecret: string;
  /** The final decision's clock. @default Date.now */
  now?: () => number;
  /** How long a call's retry waits for the report of a call an ambiguous try may have placed (place-call.ts). */
  callReportWaitMs?: number;
  /** Per-process pacing: each send waits for its slot right before the provider is called. */
  pacing?: Partial<Record<Channel, () => Promise<void>>>;
  /** Counts sends and deferrals for `/metrics`; none when unset. */
  metrics?: DomainMetrics;
}

/**
 * The channel activities, grouped by the task queue each runs on, so every provider is paced by
 * its own task-queue rate limit.
 */
export function createChannelActivities(deps: ChannelDeps) {
  const passGate = createContactGate({
    store: deps.store,
    policy: deps.policy,
    customerKeySecret: deps.customerKeySecret,
    now: deps.now ?? Date.now,
  });
  return {
    sms: {
      sendSms: countSends(
        'sms',
        createSendSms({
          twilio: deps.twilio,
          store: deps.store,
          render: deps.render,
          from: deps.smsFrom,
          publicUrl: deps.publicUrl,
          waitForSlot: deps.pacing?.sms,
          passGate,
          customerKeySecret: deps.customerKeySecret,
          ...(deps.now !== undefined ? { now: deps.now } : {}),
        }),
        deps.metrics,
      ),
    },
    voice: {
      placeCall: countSends(
        'voice',
        timeClaimToCall(
          createPlaceCall({
            twilio: deps.twilio,
            store: deps.store,
            from: deps.voiceFrom,
            publicUrl: deps.publicUrl,
            waitForSlot: deps.pacing?.voice,
            passGate,
            customerKeySecret: deps.customerKeySecret,
            ...(deps.callReportWaitMs !== undefined ? { reportWaitMs: deps.callReportWaitMs } : {}),
            ...(deps.now !== undefined ? { now: deps.now } : {}),
          }),
          { callHoldSince: (workflowId) => deps.store.callHoldSince(workflowId), now: deps.now },
          deps.metrics,
        ),
        deps.metrics,
      ),
      endCall: createEndCall({ twilio: deps.twilio }),
      callStatus: createCallStatus({ twilio: deps.twilio }),
    },
    email: {
      sendEmail: countSends(
        'email',
        createSendEmail({
          mailer: deps.mailer,
          store: deps.store,
          render: deps.render,
          from: deps.emailFrom,
          passGate,
          customerKeySecret: deps.customerKeySecret,
          ...(deps.now !== undefined ? { now: deps.now } : {}),
        }),
        deps.metrics,
      ),
    },
  } satisfies Record<Channel, object>;
}

type ByChannel = ReturnType<typeof createChannelActivities>;
export type SmsActivities = ByChannel['sms'];
export type VoiceActivities = ByChannel['voice'];
export type EmailActivities = ByChannel['email'];
