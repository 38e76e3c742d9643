import { z } from 'zod';
import { instantSchema, toEpochMs } from '../policy/vocabulary';
import type { AbandonEvent } from './abandon-event';
import type { AbandonAction, AbandonRules } from './abandon-rules';

const MS_PER_HOUR = 3_600_000;

/** What the workflow finds out (through activities) before deciding; the decision itself reads no clock. */
export const abandonFactsSchema = z.object({
  /** The caller's number parses as a valid, dialable number. */
  numberValid: z.boolean(),
  /** A permanent opt-out covers this number for callbacks. */
  optedOut: z.boolean(),
  /** The customer is flagged do-not-contact. */
  doNotContact: z.boolean(),
  /** The centre is staffed right now (centre hours, holidays, special days). */
  centreOpenNow: z.boolean(),
  /** When the centre next opens, if it is closed and the workflow knows; lets a callback that could never be made within its TTL become an SMS. */
  nextOpeningAt: instantSchema.optional(),
});
export type AbandonFacts = z.infer<typeof abandonFactsSchema>;

export type IgnoreReason =
  'invalid-number' | 'do-not-contact' | 'opted-out' | 'short-abandon' | 'queue-ignored';
export type AbandonReason =
  | IgnoreReason
  | 'tier-rule'
  | 'queue-rule'
  | 'long-wait-recovery'
  | 'default-rule'
  | 'after-hours-sms'
  | 'next-opening-beyond-ttl';

export interface AbandonDecision {
  action: AbandonAction;
  /** Machine-readable: what the run stores and the UI filters on. */
  reason: AbandonReason;
  /** One sentence for agents and supervisors. Never contains the phone number. */
  message: string;
  /** Hours after the abandon during which the action may still happen; 0 for `ignore`. */
  ttlHours: number;
}

function lookup<T>(record: Readonly<Record<string, T>>, name: string | undefined): [string, T] | undefined {
  if (name === undefined) return undefined;
  const folded = name.toLowerCase();
  return Object.entries(record).find(([key]) => key.toLowerCase() === folded);
}

function ignore(reason: IgnoreReason, message: string): AbandonDecision {
  return { action: 'ignore', reason, message, ttlHours: 0 };
}

function seconds(value: number): string {
  return `${Math.round(value * 10) / 10} s`;
}

/**
 * What to do after an abandoned call, and why. Checked in order, the first that applies wins:
 * 1. refusals: invalid or withheld number, do-not-contact, opted out → `ignore`;
 * 2. a queue rule of `ignore` → `ignore`;
 * 3. a wait shorter than the queue's (or the global) minimum → `ignore` (misdial, IVR bounce);
 * 4. a tier rule (platinum → callback) — wins over everything below, after hours included;
 * 5. a queue rule's action;
 * 6. the recovery program, for waits at least `recovery.minWaitSeconds`;
 * 7. the default action;
 * then, for a callback or recovery call while the centre is closed, the after-hours rule (not for
 * tier rules), and a callback whose next opening is past its TTL becomes an SMS.
 *
 * Deterministic: the same event, rules and facts always give the same decision.
 */
export function decideAbandon(
  event: AbandonEvent,
  rules: AbandonRules,
  facts: AbandonFacts,
): AbandonDecision {
  if (!facts.numberValid) {
    return ignore(
      'invalid-number',
      'The caller’s number is withheld or not a valid number: nobody can be called back.',
    );
  }
  if (facts.doNotContact) return ignore('do-not-contact', 'The customer is flagged do-not-contact.');
  if (facts.optedOut) return ignore('opted-out', 'The customer has opted out of callbacks.');

  const queueRule = lookup(rules.queues, event.queue);
  if (queueRule?.[1].action === 'ignore') {
    return ignore('queue-ignored', `Abandons from queue ${queueRule[0]} are ignored by the rules.`);
  }
  const minWait = queueRule?.[1].minWaitSeconds ?? rules.minWaitSeconds;
  if (event.waitedSeconds < minWait) {
    const scope = queueRule?.[1].minWaitSeconds !== undefined ? `queue ${queueRule[0]}’s` : 'the';
    return ignore(
      'short-abandon',
      `The caller waited ${seconds(event.waitedSeconds)}, under ${scope} ${minWait} s minimum: a misdial or IVR bounce, not an abandon.`,
    );
  }

  const tierRule = lookup(rules.tiers, event.tier);
  let action: Exclude<AbandonAction, 'ignore'>;
  let reason: AbandonReason;
  let message: string;
  if (tierRule !== undefined) {
    action = tierRule[1].action;
    reason = 'tier-rule';
    message = `${tierRule[0]} customer: ${action} whatever the queue, wait or hour.`;
  } else if (queueRule?.[1].action !== undefined) {
    action = queueRule[1].action as Exclude<AbandonAction, 'ignore'>;
    reason = 'queue-rule';
    message = `Queue ${queueRule[0]} gets ${action}.`;
  } else if (rules.recovery.enabled && event.waitedSeconds >= rules.recovery.minWaitSeconds) {
    action = 'recovery';
    reason = 'long-wait-recovery';
    message = `The caller waited ${seconds(event.waitedSeconds)}, at least ${rules.recovery.minWaitSeconds} s: the recovery program calls back.`;
  } else {
    action = rules.defaultAction;
    reason = 'default-rule';
    message = `A real abandon after ${seconds(event.waitedSeconds)}: ${action} by default.`;
  }

  if (action !== 'sms-only' && !facts.centreOpenNow) {
    if (reason !== 'tier-rule' && rules.afterHours === 'sms-only') {
      return {
        action: 'sms-only',
        reason: 'after-hours-sms',
        message: `The centre is closed and the rules send an SMS instead of ${action === 'recovery' ? 'a recovery call' : 'a callback'} after hours.`,
        ttlHours: rules.smsTtlHours,
      };
    }
    if (facts.nextOpeningAt !== undefined) {
      const hoursToOpening = (toEpochMs(facts.nextOpeningAt) - toEpochMs(event.abandonedAt)) / MS_PER_HOUR;
      if (hoursToOpening > rules.callbackTtlHours) {
        return {
          action: 'sms-only',
          reason: 'next-opening-beyond-ttl',
          message: `The centre next opens ${Math.ceil(hoursToOpening)} h after the abandon, past the ${rules.callbackTtlHours} h callback TTL: an SMS instead.`,
          ttlHours: rules.smsTtlHours,
        };
      }
    }
    message = `${message} The centre is closed: the call waits for the next opening.`;
  }

  return {
    action,
    reason,
    message,
    ttlHours: action === 'sms-only' ? rules.smsTtlHours : rules.callbackTtlHours,
  };
}
