import type { ContactPolicy } from '../domain/policy';
import { type ContactHistorySource, createContactPolicyActivities } from './contact-policy';
import { zonesForNumber } from './contacts/zones-for-number';

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
}

/** Every activity the main task queue's worker registers (workflows reach them as local activities). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createContactPolicyActivities({ policy: deps.policy, history: deps.history }),
    /** Every IANA zone a number can be in (libphonenumber's geocoding data). */
    zonesForNumber,
  };
}

export type Activities = ReturnType<typeof createActivities>;
