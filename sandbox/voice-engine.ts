import {
  CallLeg,
  callbackEvents,
  type CallbackEvent,
  type DocumentSource,
  type HttpMethod,
  type MachineDetection,
} from './call-leg';
import { runDial, type ChildLegRequest, type DialHost } from './dial-verb';
import type { Outbox, OutboxCall, OutboxTwimlDocument, OutboxVerb } from './outbox';
import { BackgroundTasks, LegInterrupted, pause } from './pause';
import { callScenarioFor } from './scenario-numbers';
import { newSid } from './sids';
import type { WebhookSender } from './signed-webhooks';
import { TwilioApiError } from './twilio-errors';
import { interpretDocument, resolveUrl, type DocumentOutcome } from './twiml-interpreter';
import { parseTwiml, TwimlParseError, type TwimlElement } from './twiml-parser';

export interface VoiceEngineDeps {
  outbox: Outbox;
  webhooks: WebhookSender;
  stepDelayMs: number;
  /** Aborted when the sandbox stops: no more steps, no more callbacks. */
  signal: AbortSignal;
  tasks: BackgroundTasks;
}

/** A call accepted through `POST Calls.json`. */
export interface NewCall {
  accountSid: string;
  from: string;
  to: string;
  /** Exactly one of `url` and `twiml`. */
  url?: string;
  method: HttpMethod;
  twiml?: string;
  fallback?: { url: string; method: HttpMethod };
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvents: CallbackEvent[];
  machineDetection: MachineDetection | null;
  timeoutSeconds: number;
}

/** A change through `POST Calls/{Sid}.json`. */
export interface CallUpdate {
  status?: 'canceled' | 'completed';
  url?: string;
  method: HttpMethod;
  twiml?: string;
}

/** A documents chain may not redirect forever. */
const MAX_DOCUMENTS_PER_LEG = 50;

/** Simulated milliseconds answering-machine detection took, as `MachineDetectionDuration` reports. */
const amdDuration: Readonly<Record<string, number>> = {
  human: 2400,
  machine_start: 1800,
  machine_end_beep: 9600,
};

/**
 * Runs calls like Twilio: each leg goes queued → initiated → ringing → the scenario of the number
 * dialled (in-progress, busy, no-answer, failed), with status callbacks for the subscribed
 * events, answering-machine detection, and the TwiML of the call's `Url` (or inline `Twiml`)
 * fetched and executed on answer. Calls can be cancelled, hung up or redirected through the API.
 */
export class VoiceEngine implements DialHost {
  private readonly running = new Map<string, CallLeg>();
  /** Numbers whose bridged conversations stay open until `hangUp(number)` (a long call, in real time). */
  private readonly openTalk = new Map<string, { release: () => void; released: Promise<void> }>();

  constructor(private readonly deps: VoiceEngineDeps) {}

  get stepDelayMs(): number {
    return this.deps.stepDelayMs;
  }

  /** Records the call as queued and starts it in the background. */
  create(call: NewCall): OutboxCall {
    const record = this.newRecord({
      accountSid: call.accountSid,
      parentCallSid: null,
      direction: 'outbound-api',
      from: call.from,
      to: call.to,
      url: call.url ?? null,
      method: call.method,
      twiml: call.twiml ?? null,
      statusCallback: call.statusCallback,
      statusCallbackMethod: call.statusCallbackMethod,
      statusCallbackEvents: call.statusCallbackEvents,
      machineDetection: call.machineDetection?.mode ?? null,
    });
    const leg = new CallLeg(record, callScenarioFor(call.to), call.machineDetection, call.timeoutSeconds);
    this.running.set(leg.sid, leg);
    const source: DocumentSource =
      call.twiml !== undefined
        ? { kind: 'inline', twiml: call.twiml, purpose: 'inline' }
        : {
            kind: 'fetch',
            url: call.url ?? '',
            method: call.method,
            purpose: 'voice-url',
            ...(call.fallback ? { fallback: call.fallback } : {}),
          };
    this.deps.tasks.track(this.runApiCall(leg, source));
    return record;
  }

  /**
   * Applies `Status` (canceled: only before answer; completed: hangs up) and `Url`/`Twiml`
   * (redirects an in-progress call). Undefined when there is no such call.
   */
  update(sid: string, update: CallUpdate): OutboxCall | undefined {
    const record = this.deps.outbox.findCall(sid);
    if (record === undefined) return undefined;
    const leg = this.running.get(sid);
    if (update.url !== undefined || update.twiml !== undefined) {
      if (leg === undefined || !leg.answered || leg.finished || record.endTime !== null) {
        throw new TwilioApiError(400, 21220, 'Call is not in-progress. Cannot redirect.');
      }
      leg.redirect(
        update.twiml !== undefined
          ? { kind: 'inline', twiml: update.twiml, purpose: 'update' }
          : { kind: 'fetch', url: update.url ?? '', method: update.method, purpose: 'update' },
      );
    }
    if (update.status !== undefined && leg !== undefined && record.endTime === null) {
      if (update.status === 'completed') {
        if (leg.answered) {
          record.hungUpBy = 'api';
          for (const child of record.legs)
            if (child.endTime === null && child.startTime !== null) child.hungUpBy = 'api';
        }
        this.markFinal(leg, leg.answered ? 'completed' : 'canceled');
        leg.end('hangup');
      } else if (!leg.answered) {
        this.markFinal(leg, 'canceled');
        leg.end('cancel');
      }
    }
    return record;
  }

  /**
   * From now on a person answering `number` talks until `hangUp(number)` rather than for the
   * scenario's talk time: a conversation as long as a test needs (40 minutes of workflow time, say).
   */
  holdConversations(number: string): void {
    if (this.openTalk.has(number)) return;
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.openTalk.set(number, { release, released });
  }

  /** The person on `number` hangs up every open conversation (and later ones talk as the scenario says). */
  hangUp(number: string): void {
    this.openTalk.get(number)?.release();
    this.openTalk.delete(number);
  }

  /** A bridged conversation: the scenario's talk time, or until the person hangs up (`holdConversations`). */
  async converse(leg: CallLeg, signal: AbortSignal): Promise<void> {
    await pause(this.deps.stepDelayMs, signal);
    const open = this.openTalk.get(leg.record.to);
    if (open !== undefined) {
      const startedAt = Date.now();
      await new Promise<void>((resolve, reject) => {
        const abort = (): void => reject(signal.reason as Error);
        if (signal.aborted) return abort();
        signal.addEventListener('abort', abort, { once: true });
        void open.released.then(() => {
          signal.removeEventListener('abort', abort);
          resolve();
        });
      });
      leg.connectedSeconds += Math.ceil((Date.now() - startedAt) / 1_000);
    } else {
      leg.connectedSeconds += leg.scenario.talkSeconds;
    }
    leg.record.hungUpBy = 'party';
  }

  /** Ends every running leg without further callbacks (the sandbox is stopping). */
  stopAll(): void {
    for (const leg of this.running.values()) leg.end('shutdown');
  }

  private async runApiCall(leg: CallLeg, source: DocumentSource): Promise<void> {
    const signal = leg.controller.signal;
    try {
      const rung = await this.ring(leg, signal);
      if (rung !== 'answered') {
        await this.finish(leg, rung);
        return;
      }
      await this.answer(leg, signal);
      await this.runDocumentChain(leg, source);
      await this.finish(leg, 'completed');
    } catch (error) {
      if (!(error instanceof LegInterrupted)) {
        this.recordError(leg, 11200, error instanceof Error ? error.message : String(error));
      }
      await this.finish(leg, leg.answered ? 'completed' : 'canceled');
    }
  }

  // ---- DialHost: the steps every leg goes through ----

  async ring(leg: CallLeg, signal: AbortSignal): Promise<'answered' | 'busy' | 'no-answer' | 'failed'> {
    // One step first, so the API's 201 answer reaches the caller before the first callback.
    await pause(this.deps.stepDelayMs, signal);
    this.pushEvent(leg, 'initiated');
    await this.statusCallback(leg, 'initiated', 'initiated');
    await pause(this.deps.stepDelayMs, signal);
    this.setStatus(leg, 'ringing');
    await this.statusCallback(leg, 'ringing', 'ringing');
    await pause(this.deps.stepDelayMs, signal);
    const { scenario } = leg;
    if (scenario.unansweredStatus === 'busy' || scenario.unansweredStatus === 'failed')
      return scenario.unansweredStatus;
    if (scenario.ringSeconds > leg.ringTimeoutSeconds) return 'no-answer';
    return 'answered';
  }

  async answer(leg: CallLeg, signal: AbortSignal): Promise<void> {
    leg.answered = true;
    leg.record.startTime = Date.now();
    const detection = leg.machineDetection;
    if (detection !== null) {
      leg.record.answeredBy =
        leg.scenario.answeredBy === 'machine'
          ? detection.mode === 'DetectMessageEnd'
            ? 'machine_end_beep'
            : 'machine_start'
          : 'human';
    }
    this.setStatus(leg, 'in-progress');
    await this.statusCallback(leg, 'answered', 'in-progress');
    if (detection?.callback) {
      const { url, method } = detection.callback;
      const answeredBy = leg.record.answeredBy ?? 'unknown';
      const send = async (): Promise<void> => {
        if (this.deps.signal.aborted) return;
        await this.deps.webhooks.send({
          kind: 'amd-status',
          resourceSid: leg.sid,
          url,
          method,
          params: {
            AccountSid: leg.record.accountSid,
            CallSid: leg.sid,
            AnsweredBy: answeredBy,
            MachineDetectionDuration: String(amdDuration[answeredBy] ?? 3000),
          },
        });
      };
      // The API's AsyncAmd reports while the call's TwiML already runs; <Number> before the bridge.
      if (leg.record.parentCallSid === null) {
        this.deps.tasks.track(pause(this.deps.stepDelayMs, signal).then(send));
      } else {
        await send();
      }
    }
  }

  runDocuments(leg: CallLeg, source: { url: string; method: HttpMethod }): Promise<'done' | 'hangup'> {
    return this.runDocumentChain(leg, { kind: 'fetch', ...source, purpose: 'number-url' });
  }

  /** Ends a leg with `status` (unless an API update already ended it) and posts `completed`. */
  async finish(leg: CallLeg, status: string): Promise<void> {
    this.markFinal(leg, status);
    if (leg.finished) return;
    leg.finished = true;
    this.running.delete(leg.sid);
    await this.statusCallback(leg, 'completed', leg.record.status, true);
  }

  createChildLeg(parent: CallLeg, child: ChildLegRequest): CallLeg {
    const attributes = child.number?.attributes ?? {};
    const resolve = (name: string): string | null => {
      const value = attributes[name];
      if (value === undefined) return null;
      const url = resolveUrl(value, child.baseUrl);
      if (url === undefined) this.recordError(parent, 11100, `Invalid URL in <Number ${name}>: ${value}`);
      return url ?? null;
    };
    const statusCallback = resolve('statusCallback');
    const amdCallback = resolve('amdStatusCallback');
    const mode = attributes.machineDetection?.toLowerCase();
    const machineDetection: MachineDetection | null =
      mode === 'enable' || mode === 'detectmessageend'
        ? {
            mode: mode === 'enable' ? 'Enable' : 'DetectMessageEnd',
            callback:
              amdCallback === null
                ? null
                : { url: amdCallback, method: methodAttribute(attributes.amdStatusCallbackMethod) },
          }
        : null;
    const record = this.newRecord({
      accountSid: parent.record.accountSid,
      parentCallSid: parent.sid,
      direction: 'outbound-dial',
      from: child.from,
      to: child.to,
      url: resolve('url'),
      method: methodAttribute(attributes.method),
      twiml: null,
      statusCallback,
      statusCallbackMethod: methodAttribute(attributes.statusCallbackMethod),
      statusCallbackEvents: parseEvents(attributes.statusCallbackEvent),
      machineDetection: machineDetection?.mode ?? null,
    });
    const leg = new CallLeg(record, callScenarioFor(child.to), machineDetection, child.timeoutSeconds);
    this.running.set(leg.sid, leg);
    return leg;
  }

  dial(
    leg: CallLeg,
    dial: TwimlElement,
    baseUrl: string | null,
    signal: AbortSignal,
  ): Promise<DocumentOutcome | undefined> {
    return runDial(this, leg, dial, baseUrl, signal);
  }

  recordVerb(leg: CallLeg, verb: Omit<OutboxVerb, 'at'>): void {
    leg.record.verbs.push({ at: Date.now(), ...verb });
    this.deps.outbox.changed();
  }

  recordError(leg: CallLeg, code: number, message: string): void {
    leg.record.errors.push({ at: Date.now(), code, message });
    this.deps.outbox.changed();
  }

  // ---- documents ----

  private async runDocumentChain(leg: CallLeg, first: DocumentSource): Promise<'done' | 'hangup'> {
    let source: DocumentSource | undefined = first;
    let documents = 0;
    while (source !== undefined) {
      documents += 1;
      if (documents > MAX_DOCUMENTS_PER_LEG) {
        this.recordError(leg, 11200, `more than ${MAX_DOCUMENTS_PER_LEG} TwiML documents on one leg`);
        return 'hangup';
      }
      leg.redirectController = new AbortController();
      const signal = leg.documentSignal();
      try {
        const loaded = await this.loadDocument(leg, source);
        if (signal.aborted) throw signal.reason as Error;
        if (loaded === undefined) return 'hangup';
        const outcome = await interpretDocument(leg, loaded.response, loaded.baseUrl, signal, this);
        if (outcome.kind !== 'next') return outcome.kind;
        source = outcome.source;
      } catch (error) {
        if (
          error instanceof LegInterrupted &&
          error.reason === 'redirect' &&
          !leg.controller.signal.aborted
        ) {
          source = leg.pendingRedirect;
          leg.pendingRedirect = undefined;
          continue;
        }
        throw error;
      }
    }
    return 'done';
  }

  /**
   * Fetches (signed, like Twilio) or takes inline TwiML and parses it. Undefined, with the error
   * recorded, when it cannot be had (11200) or parsed (12100): Twilio then ends the call.
   */
  private async loadDocument(
    leg: CallLeg,
    source: DocumentSource,
  ): Promise<{ response: TwimlElement; baseUrl: string | null } | undefined> {
    const document: OutboxTwimlDocument = {
      at: Date.now(),
      purpose: source.purpose,
      url: null,
      method: null,
      params: {},
      httpStatus: null,
      body: '',
      error: null,
    };
    leg.record.documents.push(document);
    let baseUrl: string | null = null;
    if (source.kind === 'inline') {
      document.body = source.twiml;
    } else {
      const params = { ...leg.requestParams(), ...source.extraParams };
      const result = await this.deps.webhooks.send({
        kind: 'twiml',
        resourceSid: leg.sid,
        url: source.url,
        method: source.method,
        params,
      });
      Object.assign(document, { url: source.url, method: source.method, params });
      const status = result.response?.httpStatus ?? null;
      document.httpStatus = status;
      document.body = result.response?.body ?? '';
      if (status === null || status < 200 || status > 299) {
        const message = `HTTP retrieval failure: ${status === null ? result.error : `HTTP ${status}`} from ${source.url}`;
        document.error = { code: 11200, message };
        this.recordError(leg, 11200, message);
        this.deps.outbox.changed();
        if (source.fallback) {
          return this.loadDocument(leg, {
            kind: 'fetch',
            url: source.fallback.url,
            method: source.fallback.method,
            purpose: 'voice-url',
          });
        }
        return undefined;
      }
      baseUrl = source.url;
    }
    try {
      const response = parseTwiml(document.body);
      this.deps.outbox.changed();
      return { response, baseUrl };
    } catch (error) {
      if (!(error instanceof TwimlParseError)) throw error;
      document.error = { code: error.code, message: error.message };
      this.recordError(leg, error.code, `Document parse failure: ${error.message}`);
      return undefined;
    }
  }

  // ---- records and callbacks ----

  private newRecord(
    fields: Pick<
      OutboxCall,
      | 'accountSid'
      | 'parentCallSid'
      | 'direction'
      | 'from'
      | 'to'
      | 'url'
      | 'method'
      | 'twiml'
      | 'statusCallback'
      | 'statusCallbackMethod'
      | 'statusCallbackEvents'
      | 'machineDetection'
    >,
  ): OutboxCall {
    const now = Date.now();
    const record: OutboxCall = {
      sid: newSid('CA'),
      ...fields,
      status: 'queued',
      answeredBy: null,
      scenario: callScenarioFor(fields.to).name,
      acceptedAt: now,
      dateCreated: now,
      dateUpdated: now,
      startTime: null,
      endTime: null,
      durationSeconds: null,
      events: [{ status: 'queued', at: now }],
      documents: [],
      verbs: [],
      errors: [],
      legs: [],
      hungUpBy: null,
    };
    this.deps.outbox.addCall(record);
    return record;
  }

  private pushEvent(leg: CallLeg, status: string): void {
    const now = Date.now();
    leg.record.events.push({ status, at: now });
    leg.record.dateUpdated = now;
    this.deps.outbox.changed();
  }

  private setStatus(leg: CallLeg, status: string): void {
    leg.record.status = status;
    this.pushEvent(leg, status);
  }

  /** Sets the final status once: an API hang-up shows at once, the run loop then finishes. */
  private markFinal(leg: CallLeg, status: string): void {
    if (leg.record.endTime !== null) return;
    leg.record.endTime = Date.now();
    leg.record.durationSeconds = leg.answered ? Math.ceil(leg.connectedSeconds) : 0;
    this.setStatus(leg, status);
  }

  private async statusCallback(
    leg: CallLeg,
    event: CallbackEvent,
    callStatus: string,
    final = false,
  ): Promise<void> {
    const url = leg.record.statusCallback;
    if (url === null || !leg.wantsEvent(event) || this.deps.signal.aborted) return;
    await this.deps.webhooks.send({
      kind: 'call-status',
      resourceSid: leg.sid,
      url,
      method: leg.record.statusCallbackMethod,
      params: leg.statusCallbackParams(callStatus, final),
    });
  }
}

/** `StatusCallbackEvent` as Twilio reads it (space- or comma-separated); default `completed`. */
export function parseEvents(value: string | readonly string[] | undefined): CallbackEvent[] {
  const words = (typeof value === 'string' ? [value] : (value ?? [])).flatMap((item) => item.split(/[\s,]+/));
  const events = callbackEvents.filter((event) => words.includes(event));
  return events.length > 0 ? events : ['completed'];
}

function methodAttribute(value: string | undefined): HttpMethod {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}
