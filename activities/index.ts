import type { ContactPolicy } from '../domain/policy';
import { type ContactHistorySource, createContactPolicyActivities } from './contact-policy';
import { zonesForNumber } from './contacts/zones-for-number';
import { planYearlyOutreach } from './courtesy/plan-yearly-outreach';
import { createPlanReminderSeries } from './reminders/plan-reminder-series';
import type { ReminderLinkSigner } from './reminders/reminder-links';

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
  /** Signs the confirm/cancel/reschedule links of reminder e-mails; without it e-mails carry none. */
  links?: ReminderLinkSigner;
}

/** Every activity the main task queue's worker registers (workflows reach them as local activities). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createContactPolicyActivities({ policy: deps.policy, history: deps.history }),
    /** Every IANA zone a number can be in (libphonenumber's geocoding data). */
    zonesForNumber,
    /** When each reminder of an appointment's series goes out, inside the calling windows. */
    planReminderSeries: createPlanReminderSeries({ policy: deps.policy, links: deps.links }),
    /** The next outreach of a yearly occasion on the customer's clock. */
    planYearlyOutreach,
  };
}

export type Activities = ReturnType<typeof createActivities>;
