import type { AbandonRules } from '../domain/callbacks';
import { defaultAbandonRules } from '../domain/callbacks';
import type { ContactPolicy } from '../domain/policy';
import type { DomainMetrics } from '../metrics/domain-metrics';
import type { ContactStore } from '../store';
import { createCallbackDecisions } from './callbacks/callback-decisions';
import { createCallbackDispatch, type DispatchSettings } from './callbacks/callback-dispatch';
import { type ContactHistorySource, createContactPolicyActivities } from './contact-policy';
import { zonesForNumber } from './contacts/zones-for-number';
import { createReplyWaitActivities } from './contacts/reply-waits';
import { createRescueActivities } from './rescue/rescue-activities';
import { createStartOrJoinCallback } from './callbacks/start-or-join-callback';
import { createRecordReminderOutcome } from './reminders/record-reminder-outcome';
import { createRecordCallbackRun } from './callbacks/record-callback-run';
import { createPublishDeskCallback } from './callbacks/publish-desk-callback';
import { planYearlyOutreach } from './courtesy/plan-yearly-outreach';
import { createPlanReminderSeries } from './reminders/plan-reminder-series';
import type { ReminderLinkSigner } from './reminders/reminder-links';
import { parseWorkflowInput } from './workflow-input/parse-workflow-input';

/**
 * What the activities on the main task queue need, handed in by the worker (and by tests,
 * which pass real local servers). Channel activities have their own factory and task queues:
 * see activities/channels/index.ts.
 */
export interface ActivityDeps {
  /** Validated contact rules (config/contact-policy.ts). */
  policy: ContactPolicy;
  /** Opt-outs, do-not-contact and the contact log from the contact store. */
  history?: ContactHistorySource;
  /** Rules for abandoned calls (config/callback-rules.ts). @default the shipped rules */
  callbackRules?: AbandonRules;
  /** The contact store: agents, the callback queue, opt-outs. Without it callbacks cannot reach agents. */
  store?: ContactStore;
  /** @default offers of 30 s, owners of the last 7 days, waited for 120 s */
  dispatch?: DispatchSettings;
  /** For the acknowledgement's estimate. @default 15 */
  averageCallbackMinutes?: number;
  /** Signs the confirm/cancel/reschedule links of reminder e-mails; without it e-mails carry none. */
  links?: ReminderLinkSigner;
  /** Counts abandons and finished callbacks for `/metrics`. */
  metrics?: DomainMetrics;
}

export const defaultDispatchSettings: DispatchSettings = {
  offerMs: 30_000,
  ownerWindowMs: 7 * 24 * 3_600_000,
  ownerWaitMs: 120_000,
};

/**
 * Every activity the main task queue's worker registers. Workflows reach the pure decisions as
 * local activities and the store-writing ones (the callback queue) as regular activities.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    /** A new run's input, parsed outside the workflow sandbox (workflows/workflow-input.ts). */
    parseWorkflowInput,
    ...createContactPolicyActivities({ policy: deps.policy, history: deps.history }),
    /** Every IANA zone a number can be in (libphonenumber's geocoding data). */
    zonesForNumber,
    /** A callback asked for by another workflow (rescue, unconfirmed appointment). */
    startOrJoinCallback: createStartOrJoinCallback(),
    ...createCallbackDecisions({
      policy: deps.policy,
      rules: deps.callbackRules ?? defaultAbandonRules,
      ...(deps.averageCallbackMinutes !== undefined
        ? { averageCallbackMinutes: deps.averageCallbackMinutes }
        : {}),
      ...(deps.store !== undefined ? { store: deps.store } : {}),
      ...(deps.metrics !== undefined ? { metrics: deps.metrics } : {}),
    }),
    // The callback queue and the rescue flow write to the store: without it a worker runs neither.
    ...(deps.store !== undefined
      ? {
          ...createCallbackDispatch({
            store: deps.store,
            settings: deps.dispatch ?? defaultDispatchSettings,
            ...(deps.metrics !== undefined ? { metrics: deps.metrics } : {}),
          }),
          ...createRescueActivities({ store: deps.store }),
          ...createReplyWaitActivities({ store: deps.store }),
          /** A finished callback's row for the KPIs. */
          recordCallbackRun: createRecordCallbackRun({
            store: deps.store,
            ...(deps.metrics !== undefined ? { metrics: deps.metrics } : {}),
          }),
          /** What a callback shows on the desk (a local activity at each change of state). */
          publishDeskCallback: createPublishDeskCallback({ store: deps.store }),
          /** A finished reminder run's row for the KPIs. */
          recordReminderOutcome: createRecordReminderOutcome({ store: deps.store }),
        }
      : {}),
    /** When each reminder of an appointment's series goes out, inside the calling windows. */
    planReminderSeries: createPlanReminderSeries({ policy: deps.policy, links: deps.links }),
    /** The next outreach of a yearly occasion on the customer's clock. */
    planYearlyOutreach,
  };
}
