import { z } from 'zod';

/** How an offer to an agent ended, read from the callback's timeline. */
export const offerAnswerSchema = z.enum(['accepted', 'rejected', 'timed-out', 'withdrawn', 'open']);
export type OfferAnswer = z.infer<typeof offerAnswerSchema>;

/**
 * What a finished callback run leaves for the KPIs (table `callback_runs`): one row per run, written
 * by the run as it finishes. A run that is still waiting has no row yet.
 */
export const callbackRunSchema = z.object({
  workflowId: z.string().min(1).max(1000),
  runId: z.string().min(1).max(200),
  customerKey: z.string().min(1).max(300),
  /** `abandon`, `scheduled`, `rescue`, `follow-up`. */
  origin: z.string().min(1).max(50),
  queue: z.string().min(1).max(200),
  skill: z.string().min(1).max(200),
  /** Abandons this run absorbed (a second abandon while one is pending joins it). */
  abandonCount: z.number().int().min(1),
  /** The agent who claimed it last, if any. */
  agentId: z.string().min(1).max(200).nullable(),
  requestedAtMs: z.number().int().nonnegative(),
  closedAtMs: z.number().int().nonnegative(),
  /** The decision's action (`ignore`, `callback`, `recovery`, `sms-only`, …); null if none was taken. */
  decision: z.string().max(50).nullable(),
  decisionReason: z.string().max(100).nullable(),
  acknowledged: z.boolean(),
  /** The run's outcome (workflows/callback-messages.ts `CallbackOutcome`). */
  outcome: z.string().min(1).max(50),
  /** Calls that rang the customer (an agent who missed the call is not an attempt on the customer). */
  customerAttempts: z.number().int().nonnegative(),
  lastAttemptOutcome: z.string().max(50).nullable(),
  /** When the customer first talked with an agent. */
  conversationAtMs: z.number().int().nonnegative().nullable(),
  offers: z.array(z.object({ agentId: z.string().min(1).max(200), answer: offerAnswerSchema })),
  /** The tenant the callback was requested for (`tenant` of the request), if any. */
  tenant: z.string().min(1).max(128).nullable().default(null),
  /**
   * The latest instant the acknowledgement promised the call by (domain/callbacks/callback-eta.ts
   * `promisedBy`); null when no acknowledgement went out or it was sent by an older build.
   */
  promisedByMs: z.number().int().nonnegative().nullable().default(null),
  /** When the first call of this run was requested (the agent is rung first, then the customer). */
  firstCallAtMs: z.number().int().nonnegative().nullable().default(null),
});
export type CallbackRun = z.output<typeof callbackRunSchema>;
export type CallbackRunInput = z.input<typeof callbackRunSchema>;
