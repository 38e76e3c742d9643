import type { OutboxCall } from './outbox';
import { LegInterrupted } from './pause';
import type { CallScenario } from './scenario-numbers';
import { API_VERSION } from './twilio-resources';
import { rfc2822 } from './twilio-time';

/** The `StatusCallbackEvent` values Twilio knows. */
export const callbackEvents = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type CallbackEvent = (typeof callbackEvents)[number];

export type HttpMethod = 'GET' | 'POST';

/** Where a leg's TwiML comes from next. */
export type DocumentSource =
  | { kind: 'inline'; twiml: string; purpose: 'inline' | 'update' }
  | {
      kind: 'fetch';
      url: string;
      method: HttpMethod;
      purpose: 'voice-url' | 'redirect' | 'dial-action' | 'number-url' | 'update';
      extraParams?: Record<string, string>;
      fallback?: { url: string; method: HttpMethod };
    };

/** How answering-machine detection runs on a leg. */
export interface MachineDetection {
  mode: 'Enable' | 'DetectMessageEnd';
  /** Async AMD: the result is POSTed here instead of (API: as well as never in) the TwiML request. */
  callback: { url: string; method: HttpMethod } | null;
}

/**
 * One call leg while it runs: the outbox record it updates, the scenario its number follows, its
 * status-callback subscription and the controllers that end it (hang-up, cancel, shutdown) or
 * replace its TwiML (redirect).
 */
export class CallLeg {
  readonly controller = new AbortController();
  redirectController = new AbortController();
  pendingRedirect: DocumentSource | undefined;
  sequenceNumber = 0;
  /** Simulated seconds connected, what `duration` and `CallDuration` report. */
  connectedSeconds = 0;
  answered = false;
  finished = false;

  constructor(
    readonly record: OutboxCall,
    readonly scenario: CallScenario,
    readonly machineDetection: MachineDetection | null,
    /** Simulated seconds a leg rings before it is no-answer (API `Timeout`, Dial `timeout`). */
    readonly ringTimeoutSeconds: number,
  ) {}

  get sid(): string {
    return this.record.sid;
  }

  /** Aborted on hang-up, cancel, shutdown, and on a redirect of the document running now. */
  documentSignal(): AbortSignal {
    return AbortSignal.any([this.controller.signal, this.redirectController.signal]);
  }

  end(reason: 'hangup' | 'cancel' | 'shutdown'): void {
    if (!this.controller.signal.aborted) this.controller.abort(new LegInterrupted(reason));
  }

  redirect(source: DocumentSource): void {
    this.pendingRedirect = source;
    this.redirectController.abort(new LegInterrupted('redirect'));
  }

  wantsEvent(event: CallbackEvent): boolean {
    return this.record.statusCallback !== null && this.record.statusCallbackEvents.includes(event);
  }

  /** The parameters Twilio sends with every request about this leg (TwiML fetches, callbacks). */
  requestParams(callStatus: string = this.record.status): Record<string, string> {
    const call = this.record;
    const params: Record<string, string> = {
      AccountSid: call.accountSid,
      ApiVersion: API_VERSION,
      CallSid: call.sid,
      CallStatus: callStatus,
      Called: call.to,
      Caller: call.from,
      Direction: call.direction,
      From: call.from,
      To: call.to,
    };
    if (call.parentCallSid !== null) params.ParentCallSid = call.parentCallSid;
    if (call.answeredBy !== null) params.AnsweredBy = call.answeredBy;
    return params;
  }

  /** A status callback's parameters for `callStatus`, numbered in order. */
  statusCallbackParams(callStatus: string, final: boolean): Record<string, string> {
    const params = {
      ...this.requestParams(callStatus),
      CallbackSource: 'call-progress-events',
      Timestamp: rfc2822(new Date()),
      SequenceNumber: String(this.sequenceNumber++),
    };
    if (final) {
      return {
        ...params,
        CallDuration: String(this.record.durationSeconds ?? 0),
        SipResponseCode: String(this.sipResponseCode(callStatus)),
      };
    }
    return params;
  }

  private sipResponseCode(callStatus: string): number {
    if (callStatus === 'completed') return 200;
    if (callStatus === 'canceled') return 487;
    return this.scenario.sipResponseCode;
  }
}
