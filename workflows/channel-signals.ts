import { defineSignal } from '@temporalio/workflow';

/**
 * A provider's word on one attempt (an SMS status callback, a call's progress), delivered by the
 * webhooks to the workflow that owns the attempt. Defined once for the API and the workflows.
 */
export interface DeliveryStatus {
  attemptKey: string;
  channel: 'sms' | 'voice' | 'email';
  /** Twilio SID or SMTP Message-ID. */
  providerId: string;
  /** Provider status, lower case: queued, sent, delivered, undelivered, failed, ringing, in-progress, completed, busy, no-answer, canceled. */
  status: string;
  errorCode?: number;
  /** Answering-machine detection on a call: human, machine_end_beep, … */
  answeredBy?: string;
  /** Dial result on the customer leg of an agent-first call. */
  dialCallStatus?: string;
  /** Epoch ms when the webhook received it. */
  receivedAt: number;
}

export const deliveryStatusSignal = defineSignal<[DeliveryStatus]>('deliveryStatus');

/** A customer's SMS reply routed to the workflow that asked for one (confirm, cancel, "call me now"). */
export interface InboundReply {
  from: string;
  to: string;
  body: string;
  messageSid: string;
  receivedAt: number;
}

export const inboundReplySignal = defineSignal<[InboundReply]>('inboundReply');
