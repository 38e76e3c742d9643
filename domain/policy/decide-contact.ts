import { candidateZones } from './candidate-zones';
import { centreSchedule, needsCentreHours } from './centre-hours';
import { MS_PER_DAY } from './civil-date';
import { isInsideWindow, localEpochMs, nextInsideWindow, openUntil } from './calling-window';
import type { ContactRequest } from './contact-request';
import { applicableSubdivisionWindows, applicableWindow } from './country-rules';
import { earliestCommonInstant, type InstantConstraint } from './earliest-common-instant';
import { describeLocalTime, describeWindows } from './explain';
import { frequencyCapBlocks } from './frequency-cap';
import { applicableOptOut } from './opt-outs';
import { replyAllowance, type ReplyAllowance } from './reply-to-customer-contact';
import type { ContactPolicy, WeeklyWindow } from './rules-schema';
import { subdivisionsForNumber } from './subdivisions-for-number';
import { toEpochMs, toInstant, type Category } from './vocabulary';
import { dayStatus, isAlwaysOpen, type WeeklySchedule } from './weekly-schedule';

/** Why a contact may go ahead now. */
export type AllowedReason = 'inside-window' | 'reply-to-customer-contact';
/** Why a contact must wait; `until` says for how long. */
export type NotYetReason =
  | 'opted-out-until'
  | 'frequency-cap'
  | 'outside-calling-window'
  | 'closed-day'
  | 'public-holiday'
  | 'centre-closed';
/** Why a contact must not happen as asked. */
export type NeverReason =
  | 'no-address'
  | 'do-not-contact'
  | 'opted-out'
  | 'channel-not-permitted'
  | 'no-time-zone'
  | 'no-allowed-time';

interface DecisionContext {
  /** Human sentence explaining the decision. */
  readonly message: string;
  /** ISO country whose rules applied, or `otherCountries`. */
  readonly country: string;
  readonly category: Category;
  /** The zones the window was checked in (all must hold). */
  readonly timeZones: readonly string[];
  /** Legal or business sources behind the rules that applied. */
  readonly sources: readonly string[];
}

export type ContactDecision =
  | (DecisionContext & {
      readonly verdict: 'allowed';
      readonly reason: AllowedReason;
      /**
       * Ask again by this instant (ISO in UTC): the window, or the centre's hours, may close then.
       * Absent when nothing in the rules closes with time. Lets a run that waits while allowed sleep
       * until then instead of asking again and again.
       */
      readonly openUntil?: string;
      readonly openUntilEpochMs?: number;
    })
  | (DecisionContext & {
      readonly verdict: 'not-yet';
      readonly reason: NotYetReason;
      /** The earliest instant every rule allows, ISO in UTC. */
      readonly until: string;
      readonly untilEpochMs: number;
    })
  | (DecisionContext & { readonly verdict: 'never'; readonly reason: NeverReason });

/**
 * Whether `request.contact` may be contacted on `request.channel` for `request.purpose` at `request.now`
 * under `policy`: `allowed`, `not-yet` (with the earliest instant that is), or `never`.
 *
 * Pure: the same request and rules give the same decision, apart from the runtime's zone data (see
 * `activities/contact-policy.ts` for how workflows keep that replay-safe).
 *
 * @example
 * decideContact(contactRequestSchema.parse({
 *   contact: { phone: '+34911234567', country: 'ES', timeZone: 'Europe/Madrid' },
 *   channel: 'voice', purpose: 'courtesy', now: '2025-01-04T20:00:00Z',
 * }), policy) // → { verdict: 'not-yet', reason: 'closed-day', until: '2025-01-07T08:00:00.000Z', … }
 */
export function decideContact(request: ContactRequest, policy: ContactPolicy): ContactDecision {
  const nowMs = toEpochMs(request.now);
  const category = request.category ?? policy.purposeCategories[request.purpose];
  const touch = {
    channel: request.channel,
    purpose: request.purpose,
    category,
    outreachId: request.outreachId,
  };
  const window = applicableWindow(policy, request.contact.country, touch);
  const zones = candidateZones(request.contact, window.rule);
  const countryName = window.country === 'otherCountries' ? 'other countries' : window.country;
  const label = `${countryName} ${request.channel} ${category}`;
  // The country's window, then every stricter state or region the number is (or may be) in: all must hold.
  const regional = applicableSubdivisionWindows(
    window,
    subdivisionsForNumber(window.country, request.contact.phone),
    touch,
  );
  const windows: CheckedWindow[] = [
    { text: `the ${label} window (${describeWindows(window.windows, window.closedOnHolidays)})`, ...window },
    ...regional.map((sub) => ({
      text:
        `the ${sub.name} (${sub.code}) ${request.channel} ${category} window ` +
        `(${describeWindows(sub.windows, sub.closedOnHolidays)}${sub.source === undefined ? '' : `; ${sub.source}`}), ` +
        `which applies because ${sub.placed ? `${sub.basis} is in ${sub.name}` : `${sub.basis}, so the number may be in ${sub.name}`}`,
      ...sub,
    })),
  ];
  const reply = replyAllowance(
    policy.replyToCustomerContact,
    touch,
    request.customerContactAt === undefined ? undefined : toEpochMs(request.customerContactAt),
    nowMs,
  );
  const sources = [
    ...windows.flatMap((checked) => (checked.source === undefined ? [] : [checked.source])),
    ...(reply !== undefined && nowMs < reply.untilMs && reply.rule.source !== undefined
      ? [reply.rule.source]
      : []),
  ];
  const context = { country: window.country, category, timeZones: zones.timeZones, sources };
  const never = (reason: NeverReason, message: string): ContactDecision => ({
    verdict: 'never',
    reason,
    message,
    ...context,
  });

  const address = request.channel === 'email' ? request.contact.email : request.contact.phone;
  if (address === undefined) {
    return never(
      'no-address',
      `The contact has no ${request.channel === 'email' ? 'e-mail address' : 'phone number'}.`,
    );
  }
  if (request.doNotContact) return never('do-not-contact', 'The customer is marked do-not-contact.');
  const optOut = applicableOptOut(request.optOuts, touch, nowMs);
  if (optOut.kind === 'permanent') {
    return never(
      'opted-out',
      `The customer opted out (${optOut.optOut.source}) of ${describeScope(optOut.optOut)}.`,
    );
  }
  const closedAltogether = windows.find((checked) => checked.windows.length === 0);
  if (closedAltogether !== undefined) {
    return never(
      'channel-not-permitted',
      `The rules allow no contact at any time under ${closedAltogether.text}.`,
    );
  }

  const zoneSensitive = windows.some((checked) => !isAlwaysOpen(checked.schedule));
  // A reply shortly after the customer's own contact may go at any hour: the calling windows wait until
  // the allowance ends. Nothing else (opt-outs, caps, the centre) is lifted.
  const replyUntilMs = reply?.untilMs ?? Number.NEGATIVE_INFINITY;
  const replyNow = nowMs < replyUntilMs;
  if (zoneSensitive && zones.timeZones.length === 0 && !replyNow) {
    return never(
      'no-time-zone',
      `No time zone is known for this contact and the rules list none for ${countryName}, so ${windows
        .map((checked) => checked.text)
        .join(' and ')} cannot be checked; refusing rather than assuming UTC.` + replyNote(reply, nowMs),
    );
  }

  const centre = needsCentreHours(policy.centreHours, { ...touch, needsAgent: request.needsAgent });
  const constraints: InstantConstraint[] = [];
  if (zoneSensitive && zones.timeZones.length === 0) {
    // No zone: only the reply allowance can allow anything.
    constraints.push((from) => (from < replyUntilMs ? from : null));
  }
  for (const zone of zoneSensitive ? zones.timeZones : []) {
    for (const checked of windows) {
      constraints.push((from, limit) =>
        from < replyUntilMs ? from : nextInsideWindow(checked.schedule, zone, from, limit),
      );
    }
  }
  const centreHoursSchedule = centre ? centreSchedule(policy.centreHours) : undefined;
  if (centreHoursSchedule !== undefined) {
    constraints.push((from, limit) =>
      nextInsideWindow(centreHoursSchedule, policy.centreHours.timeZone, from, limit),
    );
  }

  const caps = frequencyCapBlocks(
    [...policy.frequencyCaps, ...window.rule.frequencyCaps],
    touch,
    request.contactLog,
    nowMs,
  );
  const optOutUntil = optOut.kind === 'until' ? optOut.untilMs : nowMs;
  const notBefore = Math.max(nowMs, optOutUntil, caps[0]?.releaseMs ?? nowMs);
  const untilMs = earliestCommonInstant(
    constraints,
    notBefore,
    notBefore + policy.searchHorizonDays * MS_PER_DAY,
  );
  if (untilMs === null) {
    if (zoneSensitive && zones.timeZones.length === 0) {
      return never(
        'no-time-zone',
        `No time zone is known for this contact and the rules list none for ${countryName}; the reply ` +
          `allowance ends before any other rule allows contact, and the calling window cannot be checked ` +
          `without a zone. Refusing rather than assuming UTC.`,
      );
    }
    return never(
      'no-allowed-time',
      `No instant in the ${policy.searchHorizonDays} days after ${toInstant(notBefore)} is inside ${windows
        .map((checked) => checked.text)
        .join(' and ')} in ${describeZones(zones.timeZones)}` +
        (centre ? ' while the centre is staffed.' : '.'),
    );
  }
  if (untilMs === nowMs) {
    const insideEveryWindow =
      !zoneSensitive ||
      (zones.timeZones.length > 0 &&
        zones.timeZones.every((zone) =>
          windows.every((checked) => isInsideWindow(checked.schedule, zone, nowMs)),
        ));
    const centreCloses =
      centreHoursSchedule !== undefined
        ? [openUntil(centreHoursSchedule, policy.centreHours.timeZone, nowMs)]
        : [];
    const closes = [
      ...(insideEveryWindow
        ? zones.timeZones.flatMap((zone) =>
            zoneSensitive ? windows.map((checked) => openUntil(checked.schedule, zone, nowMs)) : [],
          )
        : [replyUntilMs]),
      ...centreCloses,
    ].filter((instant): instant is number => instant !== null);
    const closesMs = closes.length > 0 ? Math.min(...closes) : undefined;
    const staffed = centre ? ' and the centre is staffed' : '';
    const openFields =
      closesMs !== undefined ? { openUntil: toInstant(closesMs), openUntilEpochMs: closesMs } : {};
    if (!insideEveryWindow && reply !== undefined) {
      const where =
        zones.timeZones.length === 0
          ? 'no time zone is known for this contact'
          : `${describeLocalTimes(nowMs, zones.timeZones)} is outside ${windows.map((checked) => checked.text).join(' or ')}`;
      return {
        verdict: 'allowed',
        reason: 'reply-to-customer-contact',
        message:
          `Allowed as a reply to the customer's own contact at ${toInstant(reply.contactAtMs)}: the rule ` +
          `replyToCustomerContact lets a ${category} ${request.channel} ${request.purpose} reply go at any hour ` +
          `for ${reply.rule.withinMinutes} minutes after it, until ${toInstant(reply.untilMs)}, although ${where}${staffed === '' ? '' : `; the centre is staffed`}.`,
        ...openFields,
        ...context,
      };
    }
    const where = zoneSensitive
      ? `${describeLocalTimes(nowMs, zones.timeZones)} is inside ${windows.map((checked) => checked.text).join(' and ')}`
      : `the ${label} window is always open`;
    return {
      verdict: 'allowed',
      reason: 'inside-window',
      message: `Allowed: ${where}${staffed}.`,
      ...openFields,
      ...context,
    };
  }

  const nextText =
    `Next allowed: ${describeLocalTime(untilMs, zones.timeZones[0] ?? policy.centreHours.timeZone)}.` +
    replyNote(reply, nowMs);
  const notYet = (reason: NotYetReason, why: string): ContactDecision => ({
    verdict: 'not-yet',
    reason,
    until: toInstant(untilMs),
    untilEpochMs: untilMs,
    message: `${why} ${nextText}`,
    ...context,
  });

  if (optOut.kind === 'until') {
    return notYet(
      'opted-out-until',
      `The customer opted out (${optOut.optOut.source}) of ${describeScope(optOut.optOut)} until ${toInstant(optOut.untilMs)}.`,
    );
  }
  const cap = caps[0];
  if (cap !== undefined) {
    return notYet(
      'frequency-cap',
      `Frequency cap ${cap.cap.name} (at most ${cap.cap.max} in ${cap.cap.periodDays} days) is reached: ` +
        `${cap.count} counted touches until ${toInstant(cap.releaseMs)}.`,
    );
  }
  if (zoneSensitive && !replyNow) {
    for (const zone of zones.timeZones) {
      for (const checked of windows) {
        if (isInsideWindow(checked.schedule, zone, nowMs)) continue;
        const local = describeLocalTime(nowMs, zone);
        const status = dayStatus(checked.schedule, Math.floor(localEpochMs(nowMs, zone) / MS_PER_DAY));
        if (status.kind === 'holiday') {
          return notYet(
            'public-holiday',
            `It is ${local}, ${status.name}: ${checked.text} is closed on public holidays.`,
          );
        }
        if (status.kind === 'closed-day') {
          return notYet('closed-day', `It is ${local}, a day outside ${checked.text}.`);
        }
        return notYet('outside-calling-window', `It is ${local}, outside ${checked.text}.`);
      }
    }
  }
  const centreZone = policy.centreHours.timeZone;
  return notYet(
    'centre-closed',
    `The centre is not staffed at ${describeLocalTime(nowMs, centreZone)} and this ${request.purpose} needs an agent ` +
      `(centre hours ${describeWindows(policy.centreHours.windows, false)}).`,
  );
}

/** A window the decision checks in every zone: the country's or a subdivision's, with its sentence. */
interface CheckedWindow {
  /** `the US voice marketing window (every day 08:00–21:00)` */
  readonly text: string;
  readonly windows: readonly WeeklyWindow[];
  readonly schedule: WeeklySchedule;
  readonly source: string | undefined;
}

/** Why a reply allowance did not let a contact go now, when the request named the customer's contact. */
function replyNote(reply: ReplyAllowance | undefined, nowMs: number): string {
  if (reply === undefined || nowMs < reply.untilMs) return '';
  return (
    ` The reply allowance (${reply.rule.withinMinutes} minutes after the customer's own contact at ` +
    `${toInstant(reply.contactAtMs)}) has ended.`
  );
}

/** All local times for a few zones; the two extremes of a long list (a toll-free number's 29 US zones). */
function describeLocalTimes(epochMs: number, timeZones: readonly string[]): string {
  if (timeZones.length <= 3) return timeZones.map((zone) => describeLocalTime(epochMs, zone)).join(', ');
  const first = describeLocalTime(epochMs, timeZones[0] as string);
  const last = describeLocalTime(epochMs, timeZones[timeZones.length - 1] as string);
  return `${first} … ${last} (all ${timeZones.length} zones the number may be in)`;
}

function describeZones(timeZones: readonly string[]): string {
  if (timeZones.length === 0) return 'any zone';
  if (timeZones.length <= 3) return `all of ${timeZones.join(', ')}`;
  return `all ${timeZones.length} zones the number may be in`;
}

function describeScope(optOut: { channel?: string; category?: string; purpose?: string }): string {
  const parts = [optOut.category, optOut.purpose, optOut.channel].filter((part) => part !== undefined);
  return parts.length === 0 ? 'all contact' : `${parts.join(' ')} contact`;
}
