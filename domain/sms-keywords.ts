import { normaliseReply } from './replies/normalise-reply';

/**
 * What an inbound SMS asks for. The opt-out and opt-in words are the ones carriers and Twilio
 * honour (CTIA), matched on the whole message (normalised: case, accents and punctuation ignored),
 * so "Stop calling me at work" is routed to the workflow as a reply, not taken as an opt-out of
 * everything.
 */
export type InboundKeyword = 'opt-out' | 'opt-in' | 'help' | 'other';

const optOut = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
// YES is left out on purpose: reminders ask customers to reply YES to confirm.
const optIn = new Set(['START', 'UNSTOP']);
const help = new Set(['HELP', 'INFO']);

export function classifyInboundKeyword(body: string): InboundKeyword {
  const word = normaliseReply(body);
  if (optOut.has(word)) return 'opt-out';
  if (optIn.has(word)) return 'opt-in';
  if (help.has(word)) return 'help';
  return 'other';
}
