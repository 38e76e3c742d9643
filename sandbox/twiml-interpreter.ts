import type { CallLeg, DocumentSource, HttpMethod } from './call-leg';
import type { OutboxVerb } from './outbox';
import { pause } from './pause';
import type { TwimlElement } from './twiml-parser';

/** How a TwiML document ended: it ran out of verbs, hung up, or handed over to another document. */
export type DocumentOutcome =
  { kind: 'done' } | { kind: 'hangup' } | { kind: 'next'; source: DocumentSource };

/** What the interpreter needs from the voice engine. */
export interface VerbHost {
  readonly stepDelayMs: number;
  recordVerb(leg: CallLeg, verb: Omit<OutboxVerb, 'at'>): void;
  recordError(leg: CallLeg, code: number, message: string): void;
  /** Runs `<Dial>`; `next` when its `action` takes over, undefined to go on with the next verb. */
  dial(
    leg: CallLeg,
    dial: TwimlElement,
    baseUrl: string | null,
    signal: AbortSignal,
  ): Promise<DocumentOutcome | undefined>;
}

/** Verbs Twilio has that the sandbox records and skips (a callback flow does not use them). */
const skippedVerbs = new Set([
  'Record',
  'Enqueue',
  'Leave',
  'Connect',
  'Refer',
  'Pay',
  'Prompt',
  'Start',
  'Stop',
  'Echo',
  'Sms',
  'Message',
]);

/**
 * Executes a `<Response>` on a leg the way Twilio does for an outbound call: verbs in order, one
 * simulated step each (real time `stepDelayMs`, simulated seconds added to the call's duration);
 * `<Hangup>` ends the call, `<Redirect>` and a `<Dial action>` continue with another document, the
 * end of the document ends the call.
 */
export async function interpretDocument(
  leg: CallLeg,
  response: TwimlElement,
  baseUrl: string | null,
  signal: AbortSignal,
  host: VerbHost,
): Promise<DocumentOutcome> {
  for (const verb of response.children) {
    const outcome = await executeVerb(leg, verb, baseUrl, signal, host);
    if (outcome !== undefined) return outcome;
  }
  return { kind: 'done' };
}

async function executeVerb(
  leg: CallLeg,
  verb: TwimlElement,
  baseUrl: string | null,
  signal: AbortSignal,
  host: VerbHost,
): Promise<DocumentOutcome | undefined> {
  const attributes = { ...verb.attributes };
  const step = (): Promise<void> => pause(host.stepDelayMs, signal);
  switch (verb.name) {
    case 'Say': {
      const loops = loopCount(verb);
      host.recordVerb(leg, { verb: 'Say', attributes, text: verb.text });
      leg.connectedSeconds += loops * Math.max(1, Math.ceil(verb.text.split(/\s+/).length / 2.5));
      await step();
      return undefined;
    }
    case 'Play': {
      host.recordVerb(leg, { verb: 'Play', attributes, text: verb.text });
      leg.connectedSeconds += loopCount(verb) * 5;
      await step();
      return undefined;
    }
    case 'Pause': {
      const length = nonNegativeInt(verb.attributes.length, 1);
      host.recordVerb(leg, { verb: 'Pause', attributes, text: '' });
      leg.connectedSeconds += length;
      await step();
      return undefined;
    }
    case 'Hangup':
    case 'Reject':
      host.recordVerb(leg, { verb: verb.name, attributes, text: '' });
      return { kind: 'hangup' };
    case 'Redirect': {
      host.recordVerb(leg, { verb: 'Redirect', attributes, text: verb.text });
      const url = resolveUrl(verb.text, baseUrl);
      if (url === undefined) {
        host.recordError(leg, 11100, `Invalid URL in <Redirect>: ${verb.text}`);
        return { kind: 'hangup' };
      }
      return { kind: 'next', source: { kind: 'fetch', url, method: methodOf(verb), purpose: 'redirect' } };
    }
    case 'Gather': {
      host.recordVerb(leg, {
        verb: 'Gather',
        attributes,
        text: '',
        note: 'no input: the sandbox presses no keys',
      });
      for (const nested of verb.children) {
        if (['Say', 'Play', 'Pause'].includes(nested.name))
          await executeVerb(leg, nested, baseUrl, signal, host);
      }
      leg.connectedSeconds += nonNegativeInt(verb.attributes.timeout, 5);
      await step();
      const action = verb.attributes.action;
      if (verb.attributes.actionOnEmptyResult === 'true' && action !== undefined) {
        const url = resolveUrl(action, baseUrl);
        if (url !== undefined) {
          return {
            kind: 'next',
            source: { kind: 'fetch', url, method: methodOf(verb), purpose: 'redirect' },
          };
        }
      }
      return undefined;
    }
    case 'Dial':
      return host.dial(leg, verb, baseUrl, signal);
    default:
      if (skippedVerbs.has(verb.name)) {
        host.recordVerb(leg, {
          verb: verb.name,
          attributes,
          text: verb.text,
          note: 'not simulated: skipped',
        });
        return undefined;
      }
      host.recordError(leg, 12200, `Schema validation warning: <${verb.name}> is not a TwiML verb`);
      return { kind: 'hangup' };
  }
}

/** An absolute URL for a TwiML attribute or text, relative ones against the document's URL. */
export function resolveUrl(reference: string, baseUrl: string | null): string | undefined {
  try {
    return baseUrl === null ? new URL(reference).href : new URL(reference, baseUrl).href;
  } catch {
    return undefined;
  }
}

/** A verb's `method` attribute; Twilio's default is POST. */
export function methodOf(element: TwimlElement, attribute = 'method'): HttpMethod {
  return element.attributes[attribute]?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

function loopCount(verb: TwimlElement): number {
  // loop="0" repeats forever on Twilio; the sandbox plays it once.
  return Math.max(1, nonNegativeInt(verb.attributes.loop, 1));
}

export function nonNegativeInt(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) return fallback;
  return Number.parseInt(value, 10);
}
