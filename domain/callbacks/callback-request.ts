import { z } from 'zod';
import { attemptOutcomeSchema, instantSchema, timeZoneSchema, countryCodeSchema } from '../policy/vocabulary';

const e164Schema = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, { error: 'expected an E.164 number such as +12125550123' });
const skillSchema = z.string().regex(/^[a-z0-9][a-z0-9._:-]{0,63}$/, {
  error: 'expected a lower-case skill such as sales or es.billing',
});
const languageSchema = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
  error: 'expected a BCP 47 language tag such as es or es-MX',
});
const agentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
  error: 'expected an agent id such as alice',
});

/** Why a callback exists. */
export const callbackOriginSchema = z.enum(['abandon', 'scheduled', 'rescue', 'follow-up']);
export type CallbackOrigin = z.infer<typeof callbackOriginSchema>;

/** A survey answer behind a rescue callback, shown to the agent. */
export const surveyScoreSchema = z.object({
  type: z.enum(['csat', 'nps']),
  score: z.number().int().min(0).max(10),
});

/**
 * What a callback run hands to its continuation when it continues as new while it waits, so its
 * history stays bounded however long it waits: the decision already taken (no second
 * acknowledgement), the attempts and ladder so far, and the agents who declined.
 */
export const callbackCarriedSchema = z.object({
  /** Runs of this callback before this one. */
  runs: z.number().int().min(1),
  skill: skillSchema,
  expiresAtMs: z.number(),
  dueAtMs: z.number().optional(),
  attempts: z.array(
    z.object({
      attempt: z.number().int().min(1),
      at: z.string(),
      agentId: z.string(),
      outcome: z.union([attemptOutcomeSchema, z.enum(['connected', 'agent-missed'])]),
    }),
  ),
  ladder: z.array(z.object({ at: z.string(), outcome: attemptOutcomeSchema })),
  channelsTried: z.array(z.enum(['voice', 'sms', 'email'])),
  declinedAgentIds: z.array(z.string()),
  preferred: z.object({ agentId: z.string(), onlyUntilMs: z.number() }).optional(),
  /** The latest request ids merged, so a late duplicate is still recognised. */
  requestIds: z.array(z.string()).max(200),
  timeline: z.array(z.object({ at: z.string(), state: z.string(), step: z.string(), detail: z.string() })),
});
export type CallbackCarried = z.output<typeof callbackCarriedSchema>;

/**
 * What one `abandonedCallCallback` run is asked to do: the workflow's input, built by the client from
 * an abandon event, a scheduled request or a rescue. The number is already normalised and hashed by
 * the client (the workflow id and search attributes carry only `customerKey`).
 */
export const callbackRequestSchema = z.object({
  origin: callbackOriginSchema,
  /** Identifies the request for de-duplication: the ACD's call id, or the client's request id. */
  requestId: z.string().min(1).max(200),
  /** Keyed hash of the normalised number. */
  customerKey: z.string().min(1).max(200),
  /** E.164; absent when the caller's number was withheld or invalid. */
  phone: e164Schema.optional(),
  /** The customer's name, for the agent (never in search attributes or the memo). */
  customerName: z.string().trim().min(1).max(200).optional(),
  customerId: z.string().min(1).max(128).optional(),
  timeZone: timeZoneSchema.optional(),
  country: countryCodeSchema.optional(),
  language: languageSchema.optional(),
  /** The ACD queue the customer was in (or the desk that owns the callback). */
  queue: z.string().min(1).max(128),
  /** The agent skill needed. */
  skill: skillSchema,
  tier: z.string().min(1).max(64).optional(),
  tenant: z.string().min(1).max(128).optional(),
  /** Why the customer called: IVR input, rescue reason or a supervisor's note; shown to the agent. */
  reason: z.string().min(1).max(500).optional(),
  waitedSeconds: z.number().min(0).max(86_400).default(0),
  /** The original abandon (or request) time: keeps the customer's place in the queue. */
  requestedAt: instantSchema,
  /** Not before this instant (a time the customer chose, a follow-up). */
  notBefore: instantSchema.optional(),
  /** Overrides the rules' TTL: the callback expires this many hours after `requestedAt`. */
  ttlHours: z
    .number()
    .min(1)
    .max(24 * 45)
    .optional(),
  /** The agent who handled the customer before (from the ACD or CRM); the store's record is used otherwise. */
  previousAgentId: agentIdSchema.optional(),
  /** Extra priority points (a supervisor's raise, a rescue). */
  priorityPoints: z.number().int().min(0).max(1000).default(0),
  surveyScore: surveyScoreSchema.optional(),
  /** Abandons merged so far (a run continued as new keeps the count). */
  abandonCount: z.number().int().min(1).default(1),
  /** Set by the run itself when it continues as new while waiting; never by a client. */
  carried: callbackCarriedSchema.optional(),
});
export type CallbackRequest = z.output<typeof callbackRequestSchema>;
export type CallbackRequestInput = z.input<typeof callbackRequestSchema>;

/**
 * A callback at a time the customer (or an agent) chose, started directly through the client or
 * `POST /v1/callbacks/scheduled`. The time must be in the future and at most 45 days ahead.
 *
 * @example
 * { "phone": "+12125550123", "at": "2026-12-01T15:30:00-05:00", "queue": "billing",
 *   "reason": "asked for a call about invoice 1234", "language": "en" }
 */
export const scheduleCallbackSchema = z.object({
  /** E.164, or as dialled with `defaultCountry`. */
  phone: z.string().trim().min(1).max(64),
  defaultCountry: countryCodeSchema.optional(),
  /** When to call: an ISO instant with an offset (the customer's local time, written with its offset). */
  at: instantSchema,
  queue: z.string().trim().min(1).max(128),
  /** @default the queue's skill from the callback rules */
  skill: skillSchema.optional(),
  reason: z.string().trim().min(1).max(500).optional(),
  language: languageSchema.optional(),
  customerName: z.string().trim().min(1).max(200).optional(),
  customerId: z.string().trim().min(1).max(128).optional(),
  timeZone: timeZoneSchema.optional(),
  tier: z.string().trim().min(1).max(64).optional(),
  tenant: z.string().trim().min(1).max(128).optional(),
  previousAgentId: agentIdSchema.optional(),
  /** Hours after `at` the callback may still be made. @default 24 */
  ttlHours: z
    .number()
    .min(1)
    .max(24 * 14)
    .default(24),
  /** Your id for this request: the same id twice schedules once. @default a new id */
  requestId: z.string().trim().min(1).max(200).optional(),
});
export type ScheduleCallbackInput = z.input<typeof scheduleCallbackSchema>;

export { agentIdSchema as callbackAgentIdSchema, e164Schema };
