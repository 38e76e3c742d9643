import { EventEmitter } from 'node:events';

/** A status a message or call leg went through, with when (ms since the epoch). */
export interface StatusEvent {
  status: string;
  at: number;
}

export interface OutboxMessage {
  sid: string;
  accountSid: string;
  direction: 'outbound-api' | 'inbound' | 'outbound-reply';
  from: string;
  to: string;
  body: string;
  numSegments: number;
  numMedia: number;
  messagingServiceSid: string | null;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  statusCallback: string | null;
  /** The scenario the recipient number follows (see scenario-numbers.ts). */
  scenario: string;
  /** When the sandbox accepted the message (ms): what pacing checks look at. */
  acceptedAt: number;
  dateCreated: number;
  dateUpdated: number;
  dateSent: number | null;
  events: StatusEvent[];
}

/** A TwiML document the sandbox fetched (or was handed inline) for a call leg. */
export interface OutboxTwimlDocument {
  at: number;
  purpose: 'voice-url' | 'fallback-url' | 'inline' | 'redirect' | 'dial-action' | 'number-url' | 'update';
  /** Null for inline TwiML. */
  url: string | null;
  method: 'GET' | 'POST' | null;
  params: Record<string, string>;
  httpStatus: number | null;
  body: string;
  error: { code: number; message: string } | null;
}

/** One TwiML verb the sandbox executed on a leg. */
export interface OutboxVerb {
  at: number;
  verb: string;
  attributes: Record<string, string>;
  text: string;
  /** What the sandbox made of it when that is not obvious, e.g. "not supported: skipped". */
  note?: string;
}

export interface OutboxCall {
  sid: string;
  accountSid: string;
  /** The call whose `<Dial>` created this leg; null for a call created through the API. */
  parentCallSid: string | null;
  direction: 'outbound-api' | 'outbound-dial';
  from: string;
  to: string;
  status: string;
  answeredBy: string | null;
  scenario: string;
  /** When the sandbox accepted the call (ms): what pacing checks look at. */
  acceptedAt: number;
  dateCreated: number;
  dateUpdated: number;
  startTime: number | null;
  endTime: number | null;
  /** Simulated seconds the leg was connected (the sandbox runs a call in milliseconds). */
  durationSeconds: number | null;
  url: string | null;
  method: 'GET' | 'POST';
  twiml: string | null;
  statusCallback: string | null;
  statusCallbackMethod: 'GET' | 'POST';
  statusCallbackEvents: string[];
  machineDetection: string | null;
  events: StatusEvent[];
  documents: OutboxTwimlDocument[];
  verbs: OutboxVerb[];
  errors: { at: number; code: number; message: string }[];
  /** Legs this call's `<Dial>` created. */
  legs: OutboxCall[];
  /**
   * Who ended an answered call: `api` when a Calls update (`Status=completed`) hung it up while a
   * conversation was live, `party` when a person hung up; null while it runs or when never answered.
   */
  hungUpBy: 'api' | 'party' | null;
}

/** One signed webhook request the sandbox made: a status callback, a TwiML fetch, an inbound SMS. */
export interface OutboxCallback {
  id: number;
  kind: 'message-status' | 'call-status' | 'amd-status' | 'twiml' | 'inbound-sms';
  resourceSid: string;
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  signature: string;
  idempotencyToken: string;
  deliveries: { at: number; httpStatus: number | null; error: string | null }[];
}

export interface OutboxEmail {
  messageId: string | null;
  envelope: { from: string | null; to: string[] };
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  /** Header names in lower case; a repeated header's values joined with a newline. */
  headers: Record<string, string>;
  /** When the SMTP sink accepted the mail (ms). */
  receivedAt: number;
}

/** One request to the sandbox's Twilio API, answered or refused. */
export interface OutboxApiRequest {
  at: number;
  method: string;
  path: string;
  status: number;
}

export interface OutboxSnapshot {
  messages: OutboxMessage[];
  calls: OutboxCall[];
  emails: OutboxEmail[];
  callbacks: OutboxCallback[];
  requests: OutboxApiRequest[];
}

const MAX_REQUESTS = 10_000;

/**
 * Everything the sandbox accepted and did, in memory, newest last: messages, calls (with their
 * legs, status events, TwiML documents and verbs), e-mails, the webhooks it sent and the API
 * requests it answered. Served as JSON and as a page; tests wait on it.
 */
export class Outbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly calls: OutboxCall[] = [];
  private readonly callsBySid = new Map<string, OutboxCall>();
  private readonly emails: OutboxEmail[] = [];
  private readonly callbacks: OutboxCallback[] = [];
  private readonly requests: OutboxApiRequest[] = [];
  private readonly events = new EventEmitter();
  private nextCallbackId = 1;

  constructor() {
    this.events.setMaxListeners(0);
  }

  addMessage(message: OutboxMessage): void {
    this.messages.push(message);
    this.changed();
  }

  findMessage(sid: string): OutboxMessage | undefined {
    return this.messages.find((message) => message.sid === sid);
  }

  /** Every message, newest first (Twilio's list order). */
  listMessages(): OutboxMessage[] {
    return [...this.messages].reverse();
  }

  addCall(call: OutboxCall): void {
    if (call.parentCallSid === null) this.calls.push(call);
    else this.callsBySid.get(call.parentCallSid)?.legs.push(call);
    this.callsBySid.set(call.sid, call);
    this.changed();
  }

  findCall(sid: string): OutboxCall | undefined {
    return this.callsBySid.get(sid);
  }

  /** Every call and leg, newest first (Twilio lists child legs too). */
  listCalls(): OutboxCall[] {
    return [...this.callsBySid.values()].reverse();
  }

  addEmail(email: OutboxEmail): void {
    this.emails.push(email);
    this.changed();
  }

  addCallback(callback: Omit<OutboxCallback, 'id'>): OutboxCallback {
    const record = { id: this.nextCallbackId++, ...callback };
    this.callbacks.push(record);
    this.changed();
    return record;
  }

  findCallback(id: number): OutboxCallback | undefined {
    return this.callbacks.find((callback) => callback.id === id);
  }

  addRequest(request: OutboxApiRequest): void {
    this.requests.push(request);
    if (this.requests.length > MAX_REQUESTS) this.requests.shift();
    this.changed();
  }

  /** Tells waiters that a record changed (records are updated in place). */
  changed(): void {
    this.events.emit('change');
  }

  /** A deep copy of everything, safe to serialise and to keep. */
  snapshot(): OutboxSnapshot {
    return structuredClone({
      messages: this.messages,
      calls: this.calls,
      emails: this.emails,
      callbacks: this.callbacks,
      requests: this.requests,
    });
  }

  /** Forgets everything (demos; tests that share a sandbox). Calls still running keep running. */
  clear(): void {
    this.messages.length = 0;
    this.calls.length = 0;
    this.callsBySid.clear();
    this.emails.length = 0;
    this.callbacks.length = 0;
    this.requests.length = 0;
    this.changed();
  }

  /**
   * Resolves with the first non-undefined value `probe` returns for a snapshot, re-checked on
   * every change; rejects after `timeoutMs`.
   *
   * @example
   * const call = await sandbox.outbox.waitFor((o) => o.calls.find((c) => c.sid === sid && c.endTime));
   */
  waitFor<T>(probe: (snapshot: OutboxSnapshot) => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const check = (): void => {
        if (settled) return;
        const value = probe(this.snapshot());
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`outbox: nothing matched within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        settled = true;
        clearTimeout(timer);
        this.events.off('change', onChange);
      };
      // Changes come in bursts: check once per turn of the event loop, not once per change.
      let scheduled = false;
      const onChange = (): void => {
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          check();
        });
      };
      this.events.on('change', onChange);
      check();
    });
  }
}
