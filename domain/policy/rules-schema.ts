import { z } from 'zod';
import { isValidCivilDate, parseHhMm } from './civil-date';
import { hasNumberPlan, knownSubdivisions } from './subdivisions-for-number';
import {
  PURPOSES,
  categorySchema,
  channelSchema,
  countryCodeSchema,
  purposeSchema,
  timeZoneSchema,
  weekdaySchema,
} from './vocabulary';

/**
 * The contact policy rules: the one validated file a deployment edits (see docs/contact-policy.md).
 * Every object is strict, so a misspelt key is reported instead of silently ignored.
 */

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const timeOfDaySchema = z.string().regex(TIME_OF_DAY, { error: 'expected HH:MM (00:00 to 24:00)' });

/**
 * Compare start and end only when both are well-formed, so a bad `start` is reported once, and even when
 * a sibling key (a misspelt weekday) is wrong too.
 */
const endAfterStart = {
  error: 'expected end later than start on the same day',
  path: ['end'],
  when: (payload: { value: unknown }): boolean => {
    const { start, end } = (payload.value ?? {}) as { start?: unknown; end?: unknown };
    return (
      typeof start === 'string' && TIME_OF_DAY.test(start) && typeof end === 'string' && TIME_OF_DAY.test(end)
    );
  },
};

/** `HH:MM`–`HH:MM` in local wall-clock time; the end is exclusive, so `21:00` means "not at 21:00". */
export const timeRangeSchema = z
  .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((range) => parseHhMm(range.start) < parseHhMm(range.end), endAfterStart);

/** A time range on some days of the week. */
export const weeklyWindowSchema = z
  .strictObject({
    /** @default every day */
    days: z.array(weekdaySchema).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
    start: timeOfDaySchema,
    end: timeOfDaySchema,
  })
  .refine((window) => parseHhMm(window.start) < parseHhMm(window.end), endAfterStart);
export type WeeklyWindow = z.output<typeof weeklyWindowSchema>;

function isValidDateText(text: string): boolean {
  const parts = text.split('-').map(Number);
  if (parts.length === 3) return isValidCivilDate(parts[0] as number, parts[1] as number, parts[2] as number);
  // `MM-DD` recurs every year; 2000 is a leap year, so 29 February is accepted.
  return isValidCivilDate(2000, parts[0] as number, parts[1] as number);
}

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' })
  .refine(isValidDateText, { error: 'expected a real calendar date' });

/** `YYYY-MM-DD` for one year (Good Friday 2025), `MM-DD` for every year (6 January). */
export const holidaySchema = z.strictObject({
  date: z
    .string()
    .regex(/^(?:\d{4}-)?\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD, or MM-DD for every year' })
    .refine(isValidDateText, { error: 'expected a real calendar date' }),
  name: z.string().min(1),
});
export type Holiday = z.output<typeof holidaySchema>;

/** Which requests a rule is about; a missing list means "all". */
const scopeShape = {
  channels: z.array(channelSchema).min(1).optional(),
  categories: z.array(categorySchema).min(1).optional(),
  purposes: z.array(purposeSchema).min(1).optional(),
};

/** Calling windows for some channels/categories/purposes of one country; the first matching override wins. */
export const windowOverrideSchema = z.strictObject({
  ...scopeShape,
  /** An empty list forbids these contacts in this country altogether. */
  windows: z.array(weeklyWindowSchema),
  /** @default the country's `closedOnHolidays` */
  closedOnHolidays: z.boolean().optional(),
  /** Legal or business source shown in explanations, e.g. `47 CFR 64.1200(c)(1)`. */
  source: z.string().min(1).optional(),
});
export type WindowOverride = z.output<typeof windowOverrideSchema>;

export const frequencyCapSchema = z.strictObject({
  /** Shown in reasons and explanations, e.g. `marketing-3-per-7-days`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a kebab-case name' }),
  ...scopeShape,
  /** At most this many matching touches inside any rolling `periodDays`. */
  max: z.number().int().min(1),
  periodDays: z.number().positive().max(366),
  /**
   * Count earlier attempts of the same outreach too. Off by default: the retry ladder governs retries;
   * on for legal caps that count every attempt (France counts "tenter de démarcher").
   * @default false
   */
  countSameOutreach: z.boolean().default(false),
  source: z.string().min(1).optional(),
});
export type FrequencyCap = z.output<typeof frequencyCapSchema>;

/** ISO 3166-2 subdivision code without the country prefix: `FL` for US-FL. */
export const subdivisionCodeSchema = z.string().regex(/^[A-Z0-9]{1,3}$/, {
  error: 'expected an ISO 3166-2 subdivision code without the country, e.g. FL',
});

/**
 * Stricter rules of one state or region of a country, applied on top of the country's: a contact must be
 * inside both windows. Which numbers a subdivision covers is data (`domain/policy/subdivisions-for-number.ts`):
 * a number whose area code is there, or could be (a toll-free number), gets its rules.
 */
export const subdivisionRuleSchema = z.strictObject({
  name: z.string().min(1),
  /** The first entry whose scope matches applies; a contact no entry matches has no extra rule here. */
  overrides: z.array(windowOverrideSchema).min(1),
});
export type SubdivisionRule = z.output<typeof subdivisionRuleSchema>;

export const countryRuleSchema = z.strictObject({
  name: z.string().min(1),
  /** Legal source of `windows`. */
  source: z.string().min(1).optional(),
  /**
   * Every zone a number of this country can be in. Used when the contact has neither a zone nor candidate
   * zones: the window must then hold in all of them.
   * @default []
   */
  timeZones: z.array(timeZoneSchema).default([]),
  /** Calling windows in the called party's local time for requests no override matches. */
  windows: z.array(weeklyWindowSchema),
  /** @default false */
  closedOnHolidays: z.boolean().default(false),
  holidays: z.array(holidaySchema).default([]),
  overrides: z.array(windowOverrideSchema).default([]),
  frequencyCaps: z.array(frequencyCapSchema).default([]),
  /**
   * States or regions with stricter windows, keyed by subdivision code (`FL`). The strictest applicable rule
   * wins: the country's window and every subdivision's the number is, or may be, in must all hold.
   * @default {}
   */
  subdivisions: z.record(subdivisionCodeSchema, subdivisionRuleSchema).default({}),
});
export type CountryRule = z.output<typeof countryRuleSchema>;

export const specialDaySchema = z.strictObject({
  date: dateSchema,
  name: z.string().min(1),
  /** Staffed hours that day; empty means closed. */
  hours: z.array(timeRangeSchema).default([]),
});

/**
 * A reply to the customer's own contact (the acknowledgement of their abandoned call, the apology when
 * nobody can call back) may go at any hour for `withinMinutes` after that contact; later, the normal
 * window applies. Service contact only: marketing hours are never lifted. Opt-outs, do-not-contact and
 * frequency caps still apply.
 */
export const replyToCustomerContactSchema = z.strictObject({
  /**
   * How long after the customer's own contact a reply may ignore the calling window; 0 turns the rule off.
   * At most an hour: later than that it is no longer a reply but a new contact.
   * @default 15
   */
  withinMinutes: z.number().int().min(0).max(60).default(15),
  /** @default ["sms"] */
  channels: z.array(channelSchema).min(1).default(['sms']),
  /** @default ["callback"] */
  purposes: z.array(purposeSchema).min(1).default(['callback']),
  /** Why this is allowed, shown in explanations. */
  source: z.string().min(1).optional(),
});
export type ReplyToCustomerContact = z.output<typeof replyToCustomerContactSchema>;

export const centreHoursSchema = z.strictObject({
  /** The centre's own zone: staffed hours are its wall-clock hours, not the customer's. */
  timeZone: timeZoneSchema,
  windows: z.array(weeklyWindowSchema).min(1),
  /** Closed all day. */
  holidays: z.array(holidaySchema).default([]),
  /** Dates with different hours (Christmas Eve 09:00–14:00) or closed; they win over holidays. */
  specialDays: z.array(specialDaySchema).default([]),
  /** Contacts that need an agent on the line, so also need the centre to be staffed. */
  requiredFor: z.strictObject({
    channels: z.array(channelSchema).min(1),
    purposes: z.array(purposeSchema).min(1),
  }),
});
export type CentreHours = z.output<typeof centreHoursSchema>;

const retryRungShape = {
  /** Wait before the n-th retry after this outcome; the last delay repeats. */
  delaysMinutes: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(60 * 24 * 30),
    )
    .default([]),
  /** Stop after this many attempts ended with this outcome. */
  maxAttempts: z.number().int().min(1).max(50),
};

const retryRungSchema = z
  .strictObject(retryRungShape)
  .refine((rung) => rung.maxAttempts === 1 || rung.delaysMinutes.length > 0, {
    error: 'expected at least one delay when maxAttempts is above 1',
    path: ['delaysMinutes'],
  });

const voicemailRungSchema = z
  .strictObject({
    ...retryRungShape,
    /** Leave a message when an attempt reaches voicemail: never, only on the last attempt, or every time. */
    leaveMessage: z.enum(['never', 'last-attempt', 'every-attempt']),
  })
  .refine((rung) => rung.maxAttempts === 1 || rung.delaysMinutes.length > 0, {
    error: 'expected at least one delay when maxAttempts is above 1',
    path: ['delaysMinutes'],
  });

export const retryLadderSchema = z.strictObject({
  /** Attempts on one channel across all outcomes. */
  maxAttempts: z.number().int().min(1).max(50),
  /** Channel to try once this one is exhausted; null to stop. */
  fallbackChannel: channelSchema.nullable(),
  outcomes: z.strictObject({
    busy: retryRungSchema,
    'no-answer': retryRungSchema,
    voicemail: voicemailRungSchema,
    failed: retryRungSchema,
    invalid: retryRungSchema,
  }),
});
export type RetryLadder = z.output<typeof retryLadderSchema>;

export const priorityRulesSchema = z.strictObject({
  /** Points per customer tier, e.g. `{ "standard": 0, "gold": 20 }`. */
  tiers: z.record(z.string().min(1), z.number().min(0).max(1_000)),
  /** Tier assumed when the request names none or an unknown one. */
  defaultTier: z.string().min(1),
  /** Points per minute since the *original* abandon, so a repeat caller keeps their place. */
  waitedPointsPerMinute: z.number().min(0),
  maxWaitedPoints: z.number().min(0),
  /** Points per abandoned call after the first. */
  repeatAbandonPoints: z.number().min(0),
  maxRepeatAbandonPoints: z.number().min(0),
  /** Flat bonus for a rescue (unhappy customer after a survey). */
  rescuePoints: z.number().min(0),
  /** Points per complaint within `complaintLookbackDays`. */
  complaintPoints: z.number().min(0),
  maxComplaintPoints: z.number().min(0),
  complaintLookbackDays: z.number().positive().max(3_660),
});
export type PriorityRules = z.output<typeof priorityRulesSchema>;

const perPurpose = <T extends z.ZodType>(schema: T) =>
  z.strictObject(
    Object.fromEntries(PURPOSES.map((purpose) => [purpose, schema])) as Record<(typeof PURPOSES)[number], T>,
  );

export const contactPolicySchema = z
  .strictObject({
    version: z.literal(1),
    /** Category assumed for a purpose when the request does not say. */
    purposeCategories: perPurpose(categorySchema),
    countries: z.record(countryCodeSchema, countryRuleSchema),
    /** The conservative rule for any country not listed (or not known). */
    otherCountries: countryRuleSchema,
    centreHours: centreHoursSchema,
    /**
     * Replies to the customer's own contact (a request's `customerContactAt`); absent: none is special.
     * @example { "withinMinutes": 15, "channels": ["sms"], "purposes": ["callback"] }
     */
    replyToCustomerContact: replyToCustomerContactSchema.optional(),
    /** Caps for every country; a country's own caps apply as well. */
    frequencyCaps: z.array(frequencyCapSchema).default([]),
    retryLadders: perPurpose(retryLadderSchema),
    priority: priorityRulesSchema,
    /**
     * How far ahead "next allowed" is searched; beyond it the answer is `never`.
     * @default 62
     */
    searchHorizonDays: z.number().int().min(1).max(400).default(62),
  })
  .superRefine((policy, context) => {
    for (const [country, rule] of Object.entries(policy.countries)) {
      for (const code of Object.keys(rule.subdivisions)) {
        if (!hasNumberPlan(country, code)) {
          context.addIssue({
            code: 'custom',
            path: ['countries', country, 'subdivisions', code],
            message: `no numbering data places numbers in ${country}-${code} (known: ${knownSubdivisions(country).join(', ') || 'none'})`,
          });
        }
      }
    }
    if (!(policy.priority.defaultTier in policy.priority.tiers)) {
      context.addIssue({
        code: 'custom',
        path: ['priority', 'defaultTier'],
        message: `expected one of the tiers (${Object.keys(policy.priority.tiers).join(', ')})`,
      });
    }
  });

/** Validated rules, defaults applied. */
export type ContactPolicy = z.output<typeof contactPolicySchema>;
/** Rules as written in the file, before defaults. */
export type ContactPolicyInput = z.input<typeof contactPolicySchema>;
