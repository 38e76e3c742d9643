import { z } from 'zod';
import { countryCodeSchema, instantSchema } from '../policy/vocabulary';
import { normalisePhoneNumber, type NormalisedNumber } from '../phone-number';

/** Customer tiers Recontact knows out of the box; a deployment may send any other tier name. */
export const KNOWN_TIERS = ['standard', 'gold', 'platinum'] as const;

/** Longest wait an ACD can plausibly report for one queued call (a day); anything above is a unit mistake. */
const MAX_WAITED_SECONDS = 86_400;

/**
 * The body an ACD sends when a caller hangs up while queued. Unknown keys are dropped, not
 * refused: ACDs add fields over time and an abandon must not be lost because of one.
 *
 * @example
 * { "callId": "CA1234", "from": "+12125550123", "queue": "sales", "waitedSeconds": 95,
 *   "abandonedAt": "2025-03-10T14:02:11Z", "ivrInput": "2", "language": "es", "tier": "gold" }
 */
export const abandonEventSchema = z.object({
  /** The ACD's id of the abandoned call; with the number it identifies the event for de-duplication. */
  callId: z.string().trim().min(1).max(128),
  /**
   * The caller's number: E.164 (`+12125550123`) or as dialled (`0911 23 45 67`) with `defaultCountry`.
   * A withheld number (`anonymous`, `restricted`) is accepted and decided as `invalid-number`, so
   * the run records why nobody was called; an empty value is refused.
   */
  from: z.string().trim().min(1).max(64),
  /** ISO 3166-1 alpha-2 country for a number not in E.164, e.g. `ES`. */
  defaultCountry: countryCodeSchema.optional(),
  /** The ACD queue the caller was waiting in, as the ACD names it (matched case-insensitively). */
  queue: z.string().trim().min(1).max(128),
  /** Seconds the caller waited in the queue (after the IVR) before hanging up. */
  waitedSeconds: z.number().finite().min(0).max(MAX_WAITED_SECONDS),
  /** When the caller hung up: an ISO 8601 instant with an offset. */
  abandonedAt: instantSchema,
  /** What the caller chose in the IVR (digits or a menu label): shown to the agent as the reason for the call. */
  ivrInput: z.string().trim().min(1).max(256).optional(),
  /** BCP 47 language the caller used (`en`, `es`, `es-MX`): the acknowledgement and agent language. */
  language: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
      error: 'expected a BCP 47 language tag such as es or es-MX',
    })
    .optional(),
  /** Customer tier from the CRM: `standard`, `gold`, `platinum` or a deployment's own name. */
  tier: z.string().trim().min(1).max(64).optional(),
  /** The CRM's customer id, when the ACD identified the caller. */
  customerId: z.string().trim().min(1).max(128).optional(),
  /** Tenant, for multi-tenant deployments. */
  tenant: z.string().trim().min(1).max(128).optional(),
});
export type AbandonEvent = z.infer<typeof abandonEventSchema>;
export type AbandonEventInput = z.input<typeof abandonEventSchema>;

/** The caller's number in E.164, or undefined when it is withheld or not a valid number. */
export function callerNumber(
  event: Pick<AbandonEvent, 'from' | 'defaultCountry'>,
): NormalisedNumber | undefined {
  return normalisePhoneNumber(event.from, event.defaultCountry);
}
