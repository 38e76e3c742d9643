import { z } from 'zod';
import { MS_PER_DAY, MS_PER_MINUTE } from './civil-date';
import type { PriorityRules } from './rules-schema';
import { instantSchema, purposeSchema, toEpochMs } from './vocabulary';

/** What the priority of a waiting callback or rescue depends on. */
export const priorityInputSchema = z.object({
  kind: purposeSchema,
  now: instantSchema,
  /** Customer tier from the CRM; unknown or missing → the rules' `defaultTier`. */
  tier: z.string().min(1).optional(),
  /** When the customer *first* abandoned: later abandons merge into the same callback and keep this time. */
  originalAbandonAt: instantSchema.optional(),
  /** Abandoned calls merged into this callback, the first included. */
  abandonCount: z.number().int().min(0).default(1),
  /** Complaints on record; those inside `complaintLookbackDays` count. */
  complaints: z.array(z.object({ at: instantSchema })).default([]),
});
export type PriorityInput = z.output<typeof priorityInputSchema>;

export type PriorityFactor = 'tier' | 'waited' | 'repeat-abandons' | 'rescue' | 'complaints';

export interface PriorityScore {
  /** Higher is served first; an integer so it fits an Int search attribute. */
  readonly score: number;
  /** Every factor, zero or not, so an agent or admin sees why. */
  readonly breakdown: readonly {
    readonly factor: PriorityFactor;
    readonly points: number;
    readonly detail: string;
  }[];
}

const oneDecimal = (value: number): number => Math.round(value * 10) / 10;

/** Priority of a callback or rescue, with the breakdown that explains it. */
export function priorityScore(input: PriorityInput, rules: PriorityRules): PriorityScore {
  const nowMs = toEpochMs(input.now);
  const knownTier = input.tier !== undefined && input.tier in rules.tiers;
  const tier = knownTier ? (input.tier as string) : rules.defaultTier;
  const tierPoints = rules.tiers[tier] ?? 0;
  const tierDetail = knownTier
    ? `${tier} tier`
    : `${tier} tier (${input.tier === undefined ? 'no tier given' : `unknown tier "${input.tier}"`})`;

  const waitedMinutes =
    input.originalAbandonAt === undefined
      ? 0
      : Math.max(0, (nowMs - toEpochMs(input.originalAbandonAt)) / MS_PER_MINUTE);
  const waitedPoints = Math.min(rules.maxWaitedPoints, waitedMinutes * rules.waitedPointsPerMinute);
  const waitedDetail =
    input.originalAbandonAt === undefined
      ? 'no abandon time'
      : `waiting ${Math.floor(waitedMinutes)} min since the first abandon`;

  const repeats = Math.max(0, input.abandonCount - 1);
  const repeatPoints = Math.min(rules.maxRepeatAbandonPoints, repeats * rules.repeatAbandonPoints);

  const rescuePoints = input.kind === 'rescue' ? rules.rescuePoints : 0;

  const since = nowMs - rules.complaintLookbackDays * MS_PER_DAY;
  const complaints = input.complaints.filter(({ at }) => {
    const atMs = toEpochMs(at);
    return atMs > since && atMs <= nowMs;
  }).length;
  const complaintPoints = Math.min(rules.maxComplaintPoints, complaints * rules.complaintPoints);

  const breakdown = [
    { factor: 'tier' as const, points: oneDecimal(tierPoints), detail: tierDetail },
    { factor: 'waited' as const, points: oneDecimal(waitedPoints), detail: waitedDetail },
    {
      factor: 'repeat-abandons' as const,
      points: oneDecimal(repeatPoints),
      detail: `${repeats} repeat abandon${repeats === 1 ? '' : 's'}`,
    },
    {
      factor: 'rescue' as const,
      points: oneDecimal(rescuePoints),
      detail: input.kind === 'rescue' ? 'rescue after a poor survey' : `not a rescue (${input.kind})`,
    },
    {
      factor: 'complaints' as const,
      points: oneDecimal(complaintPoints),
      detail: `${complaints} complaint${complaints === 1 ? '' : 's'} in ${rules.complaintLookbackDays} days`,
    },
  ];
  const score = Math.round(tierPoints + waitedPoints + repeatPoints + rescuePoints + complaintPoints);
  return { score, breakdown };
}
