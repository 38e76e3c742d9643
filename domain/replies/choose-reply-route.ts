import { parseCallbackReply } from '../callbacks/callback-reply';
import { normaliseReply } from './normalise-reply';
import type { Purpose } from '../policy/vocabulary';
import { classifyReminderReply } from '../reminders/reply-intent';

/** An outreach run waiting for an SMS answer from one number. */
export interface ReplyWait {
  readonly workflowId: string;
  /** What the outreach is about: decides which words mean something to it. */
  readonly purpose: Purpose | 'any';
  /** When it last asked (epoch ms). */
  readonly askedAtMs: number;
}

export interface ReplyRouteInput {
  readonly body: string;
  /** The runs still waiting for this number, whatever their order. */
  readonly waits: readonly ReplyWait[];
  /** The outreach that sent the latest SMS to this number, when the contact log knows it. */
  readonly lastSentBy?: string;
}

export type ReplyRoute =
  | { readonly kind: 'route'; readonly workflowId: string; readonly body: string }
  /** It could answer more than one outreach: ask which, give it to none. */
  | { readonly kind: 'ambiguous'; readonly reason: string }
  | { readonly kind: 'nobody' };

/**
 * Words that name the outreach a reply is for, as the clarifying question offers them
 * (`sms.reply.which-outreach`): `APPT NO`, `CITA C`, `CALLBACK LATER 4pm`.
 */
const addressedTo: Readonly<Record<string, Purpose>> = {
  APPT: 'reminder',
  APPOINTMENT: 'reminder',
  CITA: 'reminder',
  CALLBACK: 'callback',
  LLAMADA: 'callback',
};

/** Whether `body` asks something of an outreach with this purpose (a confirmation, a cancel, a time). */
export function replyMeansSomethingTo(purpose: ReplyWait['purpose'], body: string): boolean {
  if (purpose === 'callback') return parseCallbackReply(body).kind !== 'unknown';
  if (purpose === 'reminder') return classifyReminderReply(body) !== 'unknown';
  // An outreach whose words we do not know: anything may be for it.
  return true;
}

/**
 * Which outreach an SMS reply answers. The one that asked last and still waits, unless the reply
 * could be for another too: then nobody, and the customer is asked which. Never a guess that could
 * cancel something the customer did not mean.
 *
 * 1. `APPT …` / `CALLBACK …` names the outreach: the one waiting with that purpose gets the rest.
 * 2. The latest SMS to the number came from an outreach that does not wait: ambiguous (the
 *    customer may be answering it, and an older question would get their answer).
 * 3. One run waits: it.
 * 4. Several wait: the one the words mean something to; none → the latest asker (it keeps the
 *    text for an agent); more than one → ambiguous.
 */
export function chooseReplyRoute(input: ReplyRouteInput): ReplyRoute {
  const waits = [...input.waits].sort((a, b) => b.askedAtMs - a.askedAtMs);
  const latest = waits[0];
  if (latest === undefined) return { kind: 'nobody' };

  const words = input.body.trim().split(/\s+/);
  const named = addressedTo[normaliseReply(words[0] ?? '')];
  if (named !== undefined && words.length > 1) {
    const [only, ...others] = waits.filter((wait) => wait.purpose === named);
    if (only === undefined) return { kind: 'ambiguous', reason: `nothing of kind ${named} waits` };
    if (others.length > 0) return { kind: 'ambiguous', reason: `${others.length + 1} ${named} runs wait` };
    return { kind: 'route', workflowId: only.workflowId, body: words.slice(1).join(' ') };
  }

  if (input.lastSentBy !== undefined && !waits.some((wait) => wait.workflowId === input.lastSentBy)) {
    return { kind: 'ambiguous', reason: 'the latest text came from an outreach that does not wait' };
  }
  if (waits.length === 1) return { kind: 'route', workflowId: latest.workflowId, body: input.body };
  const meaningful = waits.filter((wait) => replyMeansSomethingTo(wait.purpose, input.body));
  const [first, ...more] = meaningful;
  if (first === undefined) return { kind: 'route', workflowId: latest.workflowId, body: input.body };
  if (more.length > 0) {
    return { kind: 'ambiguous', reason: `the reply means something to ${meaningful.length} waiting runs` };
  }
  return { kind: 'route', workflowId: first.workflowId, body: input.body };
}
