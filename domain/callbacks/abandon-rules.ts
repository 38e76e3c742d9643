import { z } from 'zod';

/** What happens after an abandoned call. */
export const abandonActionSchema = z.enum(['ignore', 'sms-only', 'recovery', 'callback']);
export type AbandonAction = z.infer<typeof abandonActionSchema>;
export const ABANDON_ACTIONS = abandonActionSchema.options;

/** Actions a tier may force: a tier rule never silences a customer, so `ignore` is not one. */
const tierActionSchema = z.enum(['sms-only', 'recovery', 'callback']);

const secondsSchema = z.number().int().min(0).max(3_600);

/** An agent skill, as agents are given them: lower-case words. */
export const skillSchema = z.string().regex(/^[a-z0-9][a-z0-9._:-]{0,63}$/, {
  error: 'expected a lower-case skill such as sales or es.billing',
});

const queueRuleSchema = z
  .object({
    /** What every real abandon from this queue gets (after refusals and the minimum wait). */
    action: abandonActionSchema.optional(),
    /** This queue's own minimum wait, in seconds. */
    minWaitSeconds: secondsSchema.optional(),
    /** The agent skill its callbacks need. @default the queue's name in lower case */
    skill: skillSchema.optional(),
  })
  .strict()
  .refine(
    (rule) => rule.action !== undefined || rule.minWaitSeconds !== undefined || rule.skill !== undefined,
    {
      error: 'expected action, minWaitSeconds and/or skill',
    },
  );

const tierRuleSchema = z
  .object({
    /** What a real abandon by a customer of this tier gets, whatever the queue, the wait or the hour. */
    action: tierActionSchema,
  })
  .strict();

function hasCaseClash(keys: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const key of keys) {
    const folded = key.toLowerCase();
    if (seen.has(folded)) return key;
    seen.add(folded);
  }
  return undefined;
}

/**
 * A deployment's rules for abandoned calls, as data. Every field has a default, so `{}` is a valid
 * rules file and means {@link defaultAbandonRules}. Queue and tier names match case-insensitively.
 */
export const abandonRulesSchema = z
  .object({
    /**
     * Shorter waits are misdials and IVR bounces, not customers who gave up: they are ignored.
     * @default 10
     */
    minWaitSeconds: secondsSchema.default(10),
    /**
     * What a real abandon gets when no tier, queue or recovery rule says otherwise.
     * @default 'callback'
     */
    defaultAction: z.enum(['sms-only', 'callback']).default('callback'),
    /**
     * Per-queue overrides, by the ACD's queue name.
     * @default {}
     * @example { "sales": { "action": "callback" }, "billing-overflow": { "action": "sms-only" } }
     */
    queues: z.record(z.string().trim().min(1), queueRuleSchema).default({}),
    /**
     * Per-tier overrides, by the CRM's tier name; a tier rule wins over queue, recovery and after-hours rules.
     * @default { "platinum": { "action": "callback" } }
     */
    tiers: z.record(z.string().trim().min(1), tierRuleSchema).default({ platinum: { action: 'callback' } }),
    /**
     * The recovery program: callers who waited long enough to be at risk of leaving go to a dedicated
     * team instead of the ordinary callback queue. Off unless the deployment staffs one.
     * @default { "enabled": false, "minWaitSeconds": 300 }
     */
    recovery: z
      .object({
        enabled: z.boolean().default(false),
        /** Waits at least this long (seconds) send the caller to the recovery program. */
        minWaitSeconds: secondsSchema.default(300),
        /** The skill of the team that makes recovery calls. */
        skill: skillSchema.default('recovery'),
      })
      .strict()
      .default({ enabled: false, minWaitSeconds: 300, skill: 'recovery' }),
    /**
     * When the centre is closed: `callback-next-opening` keeps the callback (dialled once the centre
     * is staffed and the calling window allows); `sms-only` sends an apology with the opening hours.
     * @default 'callback-next-opening'
     */
    afterHours: z.enum(['callback-next-opening', 'sms-only']).default('callback-next-opening'),
    /**
     * Hours after the abandon within which a callback or recovery call may be made; then it expires.
     * @default 72
     */
    callbackTtlHours: z.number().min(1).max(720).default(72),
    /**
     * Hours after the abandon within which the SMS of an `sms-only` decision may still be sent.
     * @default 24
     */
    smsTtlHours: z.number().min(1).max(168).default(24),
  })
  .strict()
  .superRefine((rules, context) => {
    for (const [field, keys] of [
      ['queues', Object.keys(rules.queues)],
      ['tiers', Object.keys(rules.tiers)],
    ] as const) {
      const clash = hasCaseClash(keys);
      if (clash !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [field, clash],
          message: 'names differing only in case clash',
        });
      }
    }
    if (!rules.recovery.enabled) {
      const sources = [
        ...Object.entries(rules.queues).map(([name, rule]) => ['queues', name, rule.action] as const),
        ...Object.entries(rules.tiers).map(([name, rule]) => ['tiers', name, rule.action] as const),
      ];
      for (const [field, name, action] of sources) {
        if (action === 'recovery') {
          context.addIssue({
            code: 'custom',
            path: [field, name, 'action'],
            message: 'recovery is not enabled (set recovery.enabled to true)',
          });
        }
      }
    }
  });
export type AbandonRules = z.infer<typeof abandonRulesSchema>;
export type AbandonRulesInput = z.input<typeof abandonRulesSchema>;

/** The shipped rules: see docs/callbacks.md for why each default is what it is. */
export const defaultAbandonRules: AbandonRules = abandonRulesSchema.parse({});

/** A queue name as a skill: lower case, anything but letters, digits and `._:-` becomes `-`. */
export function skillForQueue(queue: string, rules: AbandonRules): string {
  const folded = queue.toLowerCase();
  const rule = Object.entries(rules.queues).find(([name]) => name.toLowerCase() === folded)?.[1];
  if (rule?.skill !== undefined) return rule.skill;
  const skill = folded.replace(/[^a-z0-9._:-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return skill === '' ? 'callbacks' : skill.slice(0, 64);
}
