import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import {
  contactRequestSchema,
  decideContact as decide,
  instantSchema,
  planRetry as plan,
  priorityInputSchema,
  priorityScore,
  retryPlanInputSchema,
  toInstant,
  type Contact,
  type ContactDecision,
  type ContactLogEntry,
  type ContactPolicy,
  type ContactRequest,
  type OptOut,
  type PriorityScore,
  type RetryPlan,
} from '../domain/policy';

/**
 * The contact policy for workflows, to be called as *local activities*:
 *
 *   const policy = proxyLocalActivities<ContactPolicyActivities>({ startToCloseTimeout: '10s' });
 *   const decision = await policy.decideContact({ contact, channel: 'voice', purpose: 'callback' });
 *
 * Why not call the pure engine from workflow code: its answer depends on the zone data in the runtime (ICU,
 * updated with Node) and on the rules file, and both can change between a workflow's first run and a replay.
 * A recomputed decision could differ and break replay; a local activity's result is recorded in history and
 * read back, so replay sees the decision that was acted on. Local because it is CPU-only and fast: no
 * task-queue round trip.
 */

/** Where the channels layer plugs in the preferences store and the contact log. */
export interface ContactHistorySource {
  /** Opt-outs, do-not-contact flag and touches of this contact since `sinceEpochMs`, as of `nowEpochMs`. */
  lookup(
    contact: Contact,
    sinceEpochMs: number,
    nowEpochMs: number,
  ): Promise<{ optOuts: OptOut[]; doNotContact: boolean; contactLog: ContactLogEntry[] }>;
}

export interface ContactPolicyActivityDeps {
  /** Validated rules, e.g. `loadContactPolicy(process.env.CONTACT_POLICY_FILE)`. */
  policy: ContactPolicy;
  /** Clock for inputs that leave `now` out. @default Date.now */
  clock?: () => number;
  /** Merged with the opt-outs and log the input carries. @default none */
  history?: ContactHistorySource;
}

/** `decideContact` input: a contact request whose `now` defaults to the activity's clock. */
export const decideContactInputSchema = contactRequestSchema.extend({ now: instantSchema.optional() });
export type DecideContactInput = z.input<typeof decideContactInputSchema>;
export const planRetryInputSchema = retryPlanInputSchema.extend({ now: instantSchema.optional() });
export type PlanRetryInput = z.input<typeof planRetryInputSchema>;
export const scorePriorityInputSchema = priorityInputSchema.extend({ now: instantSchema.optional() });
export type ScorePriorityInput = z.input<typeof scorePriorityInputSchema>;

function parseInput<T extends z.ZodType>(schema: T, input: unknown, activity: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // A malformed request is a bug in the calling workflow: retrying cannot fix it.
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`,
  );
  throw ApplicationFailure.nonRetryable(
    `${activity}: invalid input: ${problems.join('; ')}`,
    'InvalidContactPolicyInput',
  );
}

// The log only needs to reach back as far as the longest frequency cap.
function longestCapMs(policy: ContactPolicy): number {
  const caps = [...policy.frequencyCaps, ...Object.values(policy.countries).flatMap((c) => c.frequencyCaps)];
  return Math.max(0, ...caps.map((cap) => cap.periodDays)) * 86_400_000;
}

/**
 * `decideContact` on a request merged with what the contact store knows of the contact (opt-outs,
 * do-not-contact, the log back to the longest frequency cap). Shared by the policy activity (the
 * workflow's planning) and the channel activities' final check right before a provider call.
 */
export async function decideWithHistory(
  request: ContactRequest,
  policy: ContactPolicy,
  history: ContactHistorySource | undefined,
): Promise<ContactDecision> {
  if (history === undefined) return decide(request, policy);
  const nowMs = Date.parse(request.now);
  const stored = await history.lookup(request.contact, nowMs - longestCapMs(policy), nowMs);
  return decide(
    {
      ...request,
      optOuts: [...request.optOuts, ...stored.optOuts],
      contactLog: [...request.contactLog, ...stored.contactLog],
      doNotContact: request.doNotContact || stored.doNotContact,
    },
    policy,
  );
}

export function createContactPolicyActivities(deps: ContactPolicyActivityDeps) {
  const clock = deps.clock ?? Date.now;
  const now = (given: string | undefined): string => given ?? toInstant(clock());

  return {
    /** May this contact happen now? `allowed`, `not-yet` until an instant, or `never`, with reason. */
    async decideContact(input: DecideContactInput): Promise<ContactDecision> {
      const parsed = parseInput(decideContactInputSchema, input, 'decideContact');
      return decideWithHistory({ ...parsed, now: now(parsed.now) }, deps.policy, deps.history);
    },

    /** Next step of an outreach after its attempts so far: attempt (when, voicemail?), fallback or give up. */
    async planRetry(input: PlanRetryInput): Promise<RetryPlan> {
      const parsed = parseInput(planRetryInputSchema, input, 'planRetry');
      return plan({ ...parsed, now: now(parsed.now) }, deps.policy.retryLadders[parsed.kind]);
    },

    /** Priority of a callback or rescue with its breakdown. */
    async scorePriority(input: ScorePriorityInput): Promise<PriorityScore> {
      const parsed = parseInput(scorePriorityInputSchema, input, 'scorePriority');
      return priorityScore({ ...parsed, now: now(parsed.now) }, deps.policy.priority);
    },
  };
}

export type ContactPolicyActivities = ReturnType<typeof createContactPolicyActivities>;
