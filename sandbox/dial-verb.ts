import type { CallLeg, HttpMethod } from './call-leg';
import { callToMagic, isE164 } from './magic-numbers';
import { LegInterrupted } from './pause';
import type { DocumentOutcome, VerbHost } from './twiml-interpreter';
import { methodOf, nonNegativeInt, resolveUrl } from './twiml-interpreter';
import type { TwimlElement } from './twiml-parser';

/** The dialled party's leg that a `<Dial>` asks the voice engine to create. */
export interface ChildLegRequest {
  to: string;
  from: string;
  /** The `<Number>` noun, with its attributes (machine detection, url, callbacks). */
  number: TwimlElement | undefined;
  timeoutSeconds: number;
  /** What relative URLs in the noun resolve against. */
  baseUrl: string | null;
}

/** What `<Dial>` needs from the voice engine to run the dialled party's leg. */
export interface DialHost extends VerbHost {
  createChildLeg(parent: CallLeg, child: ChildLegRequest): CallLeg;
  ring(leg: CallLeg, signal: AbortSignal): Promise<'answered' | 'busy' | 'no-answer' | 'failed'>;
  answer(leg: CallLeg, signal: AbortSignal): Promise<void>;
  runDocuments(leg: CallLeg, source: { url: string; method: HttpMethod }): Promise<'done' | 'hangup'>;
  finish(leg: CallLeg, status: string): Promise<void>;
  /** The bridged conversation: resolves when the callee hangs up. */
  converse(leg: CallLeg, signal: AbortSignal): Promise<void>;
}

type DialCallStatus = 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/**
 * `<Dial>` with one `<Number>` (or a bare number): a child leg from `callerId` (default: the
 * parent's From) runs the dialled number's scenario — initiated, ringing, then answered, busy,
 * no-answer after `timeout`, or failed — with the `<Number>`'s status callbacks, answering-machine
 * detection posted to `amdStatusCallback`, and its `url` document played to the callee before
 * the bridge (a `<Hangup>` there declines the call: DialCallStatus no-answer). A bridged callee
 * hangs up after the scenario's talk time. Then `action` gets DialCallStatus, DialCallSid,
 * DialCallDuration and DialBridged, and its TwiML continues the parent; without `action` the
 * parent goes on with the next verb.
 */
export async function runDial(
  host: DialHost,
  parent: CallLeg,
  dial: TwimlElement,
  baseUrl: string | null,
  signal: AbortSignal,
): Promise<DocumentOutcome | undefined> {
  const attributes = { ...dial.attributes };
  const timeoutSeconds = Math.min(600, Math.max(5, nonNegativeInt(dial.attributes.timeout, 30)));
  const action =
    dial.attributes.action === undefined ? undefined : resolveUrl(dial.attributes.action, baseUrl);
  if (dial.attributes.action !== undefined && action === undefined) {
    host.recordError(parent, 11100, `Invalid URL in <Dial action>: ${dial.attributes.action}`);
  }
  const after = (status: DialCallStatus, child?: CallLeg, bridged = false): DocumentOutcome | undefined => {
    if (action === undefined) return undefined;
    const extraParams: Record<string, string> = { DialCallStatus: status, DialBridged: String(bridged) };
    if (child !== undefined) extraParams.DialCallSid = child.sid;
    if (child?.answered) extraParams.DialCallDuration = String(child.record.durationSeconds ?? 0);
    return {
      kind: 'next',
      source: { kind: 'fetch', url: action, method: methodOf(dial), purpose: 'dial-action', extraParams },
    };
  };

  const [first, ...others] = dial.children;
  if (first !== undefined && first.name !== 'Number') {
    host.recordVerb(parent, {
      verb: 'Dial',
      attributes,
      text: first.text,
      note: `<${first.name}> is not simulated: DialCallStatus failed`,
    });
    return after('failed');
  }
  const number = (first?.text ?? dial.text).trim();
  host.recordVerb(parent, {
    verb: 'Dial',
    attributes,
    text: number,
    ...(others.length > 0 ? { note: 'the sandbox dials only the first <Number>' } : {}),
  });
  if (!isE164(number) || callToMagic[number] !== undefined) {
    host.recordError(
      parent,
      13224,
      `Dial: Twilio does not support calling ${number} or the number is invalid`,
    );
    return after('failed');
  }

  const child = host.createChildLeg(parent, {
    to: number,
    from: dial.attributes.callerId ?? parent.record.from,
    number: first,
    timeoutSeconds,
    baseUrl,
  });
  const childSignal = AbortSignal.any([signal, child.controller.signal]);
  try {
    const rung = await host.ring(child, childSignal);
    if (rung !== 'answered') {
      await host.finish(child, rung);
      return after(rung, child);
    }
    await host.answer(child, childSignal);
    const whisper =
      first?.attributes.url === undefined ? undefined : resolveUrl(first.attributes.url, baseUrl);
    if (whisper !== undefined && first !== undefined) {
      const ended = await host.runDocuments(child, { url: whisper, method: methodOf(first) });
      if (ended === 'hangup') {
        await host.finish(child, 'completed');
        return after('no-answer', child);
      }
    }
    host.recordVerb(parent, {
      verb: 'Number',
      attributes: first === undefined ? {} : { ...first.attributes },
      text: number,
      note: `bridged with ${child.sid}`,
    });
    const talkFrom = child.connectedSeconds;
    await host.converse(child, childSignal);
    parent.connectedSeconds += child.connectedSeconds - talkFrom;
    await host.finish(child, 'completed');
    return after('completed', child, true);
  } catch (error) {
    if (!(error instanceof LegInterrupted)) throw error;
    await host.finish(child, child.answered ? 'completed' : 'canceled');
    // The parent hung up or was redirected: its own reason wins, no action request.
    if (signal.aborted) throw signal.reason as Error;
    return after(child.answered ? 'completed' : 'canceled', child, child.answered);
  }
}
