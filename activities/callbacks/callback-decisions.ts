import {
  callbackEta,
  decideAbandon,
  type AbandonDecision,
  type AbandonRules,
  type CallbackEta,
  type CallbackEtaInput,
} from '../../domain/callbacks';
import type { CallbackRequest } from '../../domain/callbacks/callback-request';
import {
  nextLocalTime,
  placeCustomerTime,
  type PlacedCustomerTime,
} from '../../domain/callbacks/place-customer-time';
import {
  centreSchedule,
  instantOfLocalTime,
  isOpenLocal,
  localEpochMs,
  nextOpenLocal,
  toInstant,
  type ContactPolicy,
} from '../../domain/policy';
import { MS_PER_DAY } from '../../domain/policy/civil-date';
import type { DomainMetrics } from '../../metrics/domain-metrics';
import type { ContactStore } from '../../store';

export interface CallbackDecision extends Omit<AbandonDecision, 'reason'> {
  reason: AbandonDecision['reason'] | 'scheduled' | 'rescue' | 'follow-up';
  /** The agent skill the callback needs (the queue's, or the recovery team's). */
  skill: string;
}

export interface CallbackDecisionDeps {
  policy: ContactPolicy;
  rules: AbandonRules;
  /** Opt-outs and do-not-contact; without it nobody counts as opted out (tests of the rules alone). */
  store?: Pick<ContactStore, 'contactBlock'>;
  /** Minutes from due to called in a normal queue (CALLBACK_AVERAGE_MINUTES). @default 15 */
  averageCallbackMinutes?: number;
  clock?: () => number;
  /** Counts abandons by decision for `/metrics`. */
  metrics?: DomainMetrics;
}

/**
 * The callback's decisions that depend on data that may change between a run and its replay (the
 * rules file, the store, ICU zone data), as local activities: their results are recorded in the
 * history, so a replay sees the decision that was acted on.
 */
export function createCallbackDecisions(deps: CallbackDecisionDeps) {
  const clock = deps.clock ?? Date.now;
  return {
    /** Ignore, SMS only, callback or recovery call — with the facts looked up first. */
    async decideCallback(request: CallbackRequest, now?: string): Promise<CallbackDecision> {
      const nowMs = now !== undefined ? Date.parse(now) : clock();
      const block =
        request.phone === undefined ? undefined : await deps.store?.contactBlock(request.phone, 'voice');
      const centre = deps.policy.centreHours;
      const schedule = centreSchedule(centre);
      const localNow = localEpochMs(nowMs, centre.timeZone);
      const nextLocal = nextOpenLocal(schedule, localNow, localNow + 62 * MS_PER_DAY);
      const facts = {
        numberValid: request.phone !== undefined,
        optedOut: block?.kind === 'opted-out',
        doNotContact: block?.kind === 'do-not-contact',
        centreOpenNow: isOpenLocal(schedule, localNow),
        ...(nextLocal !== null
          ? { nextOpeningAt: toInstant(instantOfLocalTime(nextLocal, centre.timeZone)) }
          : {}),
      };
      const queueSkill = request.skill;
      if (request.origin === 'abandon') {
        const decision = decideAbandon(
          {
            callId: request.requestId,
            from: request.phone ?? 'anonymous',
            queue: request.queue,
            waitedSeconds: request.waitedSeconds,
            abandonedAt: request.requestedAt,
            ...(request.reason !== undefined ? { ivrInput: request.reason } : {}),
            ...(request.language !== undefined ? { language: request.language } : {}),
            ...(request.tier !== undefined ? { tier: request.tier } : {}),
          },
          deps.rules,
          facts,
        );
        deps.metrics?.abandons.inc({ decision: decision.action, reason: decision.reason });
        const skill = decision.action === 'recovery' ? deps.rules.recovery.skill : queueSkill;
        return { ...decision, ttlHours: request.ttlHours ?? decision.ttlHours, skill };
      }
      // Scheduled, rescue and follow-up callbacks were asked for: only a refusal stops them.
      const refusal = !facts.numberValid
        ? 'invalid-number'
        : facts.doNotContact
          ? 'do-not-contact'
          : facts.optedOut
            ? 'opted-out'
            : undefined;
      if (refusal !== undefined) {
        return {
          action: 'ignore',
          reason: refusal,
          message: `A ${request.origin} callback that may not be made: ${refusal}.`,
          ttlHours: 0,
          skill: queueSkill,
        };
      }
      return {
        action: 'callback',
        reason: request.origin,
        message: `A ${request.origin} callback${request.notBefore !== undefined ? ` not before ${request.notBefore}` : ''}.`,
        ttlHours: request.ttlHours ?? deps.rules.callbackTtlHours,
        skill: queueSkill,
      };
    },

    /** The honest estimate for the acknowledgement ("tomorrow from 08:00"). */
    async estimateCallback(
      input: Omit<CallbackEtaInput, 'now' | 'averageCallbackMinutes'> & { now?: string },
    ): Promise<CallbackEta> {
      return callbackEta({
        ...input,
        now: input.now ?? toInstant(clock()),
        averageCallbackMinutes: deps.averageCallbackMinutes ?? 15,
      });
    },

    /**
     * Where a time the customer gave us falls, read in their zone (`zones`: the known one, or every
     * candidate of their number); `unclear` when those disagree or none is known — never the centre's.
     */
    async placeCustomerTime(input: {
      zones: string[];
      hour: number;
      minute: number;
      now?: string;
    }): Promise<PlacedCustomerTime> {
      const nowMs = input.now !== undefined ? Date.parse(input.now) : clock();
      return placeCustomerTime({ nowMs, hour: input.hour, minute: input.minute, zones: input.zones });
    },

    /**
     * The next instant (after now) at which it is `hour:minute` in the zone (the centre's when none is
     * known). Runs started before `placeCustomerTime` still ask this; new code must not.
     */
    async nextLocalTime(input: {
      timeZone?: string;
      hour: number;
      minute: number;
      now?: string;
    }): Promise<string> {
      const timeZone = input.timeZone ?? deps.policy.centreHours.timeZone;
      const nowMs = input.now !== undefined ? Date.parse(input.now) : clock();
      return toInstant(nextLocalTime(nowMs, input.hour, input.minute, timeZone));
    },
  };
}

export type CallbackDecisionActivities = ReturnType<typeof createCallbackDecisions>;
