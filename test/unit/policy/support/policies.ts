import { loadContactPolicy, parseContactPolicy } from '../../../../config/contact-policy';
import {
  contactRequestSchema,
  decideContact,
  type ContactDecision,
  type ContactPolicy,
} from '../../../../domain/policy';
import defaults from '../../../../config/contact-policy.default.json';

export const shippedPolicy: ContactPolicy = loadContactPolicy();

/** The shipped rules file as JSON, edited, then validated like any deployment's file. */
export function editedPolicy(edit: (rules: typeof defaults) => void): ContactPolicy {
  const rules = structuredClone(defaults);
  edit(rules);
  return parseContactPolicy(rules, 'edited test rules');
}

/** Decide a request written the way a workflow would write it. */
export function decide(request: unknown, policy: ContactPolicy = shippedPolicy): ContactDecision {
  return decideContact(contactRequestSchema.parse(request), policy);
}
