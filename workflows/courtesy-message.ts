import {
  condition,
  continueAsNew,
  executeChild,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CourtesyMessageInput, CourtesyReschedule } from '../domain/courtesy';
import type { Contact } from '../domain/policy';
import {
  cancelCourtesySignal,
  courtesyStatusQuery,
  rescheduleCourtesySignal,
  type CourtesyOutreach,
  type CourtesyStatus,
} from './courtesy-signals';
import { deliverMessage, type DeliverMessageInput } from './deliver-message';
import { localDecisions } from './activity-proxies';
import { showRun } from './run-state';
import { searchAttributes } from './search-attributes';
import { parseWorkflowInput } from './workflow-input';

/** What a yearly occasion carries from one run to the next across continue-as-new. */
export interface CourtesyCarried {
  outreaches: CourtesyOutreach[];
}

/** Notices go out this many recipients at a time; the channel queues pace the sends themselves. */
const NOTICE_BATCH = 20;
/** Outreaches a yearly occasion remembers across runs (for its status). */
const REMEMBERED = 10;

/** Yearly outreach planned in every zone the customer may be in. */
const COURTESY_EVERY_ZONE_PATCH = 'courtesy-every-zone';

/**
 * Courtesy outreach, one workflow per business key:
 * - `thank-you`: waits `delayHours` after the purchase, then one message.
 * - `yearly`: every year, `daysBefore` days before the date, a message or an agent call task; a
 *   long-lived workflow that continues as new after each outreach, so its history stays a few dozen
 *   events however many years it runs, and new code takes over at the next year.
 * - `notice`: one message to each customer on a list.
 * Each message is a `deliverMessage` child: policy check, paced send, delivery status.
 */
export async function courtesyMessage(
  rawInput: CourtesyMessageInput,
  carried: CourtesyCarried = { outreaches: [] },
): Promise<CourtesyStatus> {
  // A yearly run asks this patch in its first workflow task: before the input's local activity.
  const { request, customerKeys, company } = await parseWorkflowInput('courtesyMessage', rawInput, () =>
    patched(COURTESY_EVERY_ZONE_PATCH),
  );
  const { workflowId } = workflowInfo();
  const outreaches = [...carried.outreaches];
  let cancelled: string | undefined;
  let moved: CourtesyReschedule | undefined;
  let moves = 0;
  let state: CourtesyStatus['state'] = 'waiting';
  let nextAt: string | undefined;

  const status = (): CourtesyStatus => ({
    type: request.type,
    state,
    ...(nextAt ? { nextAt } : {}),
    outreaches,
    ...(cancelled ? { cancelled } : {}),
  });
  const setState = (next: CourtesyStatus['state'], due?: number): void => {
    state = next;
    nextAt = due === undefined ? undefined : new Date(due).toISOString();
    showRun(
      [
        { key: searchAttributes.State, value: next },
        ...(due === undefined ? [] : [{ key: searchAttributes.DueAt, value: new Date(due) }]),
      ],
      `${request.type} ${request.courtesyId}: ${next}, ${outreaches.length} outreach(es)`,
    );
  };
  const finish = (outcome: string): CourtesyStatus => {
    upsertSearchAttributes([{ key: searchAttributes.Outcome, value: outcome }]);
    setState('done');
    return status();
  };
  setHandler(courtesyStatusQuery, status);
  setHandler(cancelCourtesySignal, ({ reason }) => {
    cancelled ??= reason ?? 'cancelled';
  });
  setHandler(rescheduleCourtesySignal, (change) => {
    // The client checks the change fits the type; a raw signal that does not is ignored.
    const fits =
      'at' in change
        ? request.type === 'thank-you' && Date.parse(change.at) > Date.now()
        : request.type === 'yearly';
    if (!fits || state !== 'waiting') return;
    moved = change;
    moves += 1;
  });
  upsertSearchAttributes([
    { key: searchAttributes.Kind, value: request.type === 'notice' ? 'notice' : 'courtesy' },
    ...(request.type === 'notice' ? [] : [{ key: searchAttributes.Customer, value: customerKeys[0] ?? '' }]),
  ]);

  /** Waits until `dueMs` unless cancelled or moved first. */
  const waitUntil = async (dueMs: number): Promise<'due' | 'cancelled' | 'moved'> => {
    const seen = moves;
    setState('waiting', dueMs);
    if (dueMs > Date.now()) {
      await condition(() => cancelled !== undefined || moves !== seen, dueMs - Date.now());
    }
    return cancelled !== undefined ? 'cancelled' : moves !== seen ? 'moved' : 'due';
  };
  const deliver = (childId: string, input: DeliverMessageInput) =>
    executeChild(deliverMessage, { workflowId: `${workflowId}/${childId}`, args: [input] });

  if (request.type === 'thank-you') {
    let sendAt = Date.now() + request.delayHours * 3_600_000;
    for (;;) {
      const waited = await waitUntil(sendAt);
      if (waited === 'cancelled') return finish('cancelled');
      if (waited === 'due') break;
      if (moved !== undefined && 'at' in moved) sendAt = Date.parse(moved.at);
    }
    setState('sending');
    // An outreach is dated when it starts, as the yearly one is: not after the provider's delivery
    // report, which may take up to an hour.
    const sentAt = new Date(Date.now()).toISOString();
    const result = await deliver('thanks', {
      channel: request.channel,
      contact: request.contact,
      customerKey: customerKeys[0] ?? '',
      template: `${request.channel}.courtesy.thanks`,
      locale: request.locale,
      variables: { company },
      purpose: 'courtesy',
    });
    outreaches.push({ at: sentAt, outcome: result.outcome });
    return finish(result.outcome);
  }

  if (request.type === 'notice') {
    setState('sending');
    // The same customer twice on the list hears it once.
    const seen = new Set<string>();
    const recipients: { contact: Contact; customerKey: string }[] = [];
    request.recipients.forEach((contact, index) => {
      const customerKey = customerKeys[index] ?? '';
      if (customerKey === '' || seen.has(customerKey)) return;
      seen.add(customerKey);
      recipients.push({ contact, customerKey });
    });
    const outcomes: Record<string, number> = {};
    const sentAt = new Date(Date.now()).toISOString();
    for (let start = 0; start < recipients.length && cancelled === undefined; start += NOTICE_BATCH) {
      const batch = recipients.slice(start, start + NOTICE_BATCH);
      const results = await Promise.all(
        batch.map(({ contact, customerKey }) =>
          deliver(customerKey, {
            channel: request.channel,
            contact,
            customerKey,
            template: `${request.channel}.notice.service`,
            locale: contact.locale ?? request.locale,
            variables:
              request.channel === 'email'
                ? { company, subject: request.subject, message: request.message }
                : { company, message: request.message },
            purpose: 'notice',
            ...(request.notAfter ? { notAfter: request.notAfter } : {}),
          }),
        ),
      );
      for (const result of results) outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    }
    outreaches.push({ at: sentAt, outcome: 'sent-to-list', outcomes });
    return finish(cancelled !== undefined ? 'cancelled' : 'sent-to-list');
  }

  // Yearly occasion: one outreach per run, then continue as new.
  const contact = { ...request.contact };
  let outreachAtMs: number;
  let next: Awaited<ReturnType<typeof localDecisions.planYearlyOutreach>>;
  if (patched(COURTESY_EVERY_ZONE_PATCH)) {
    // Planned in every zone the customer may be in, never in a guessed UTC: at `localTime` or later
    // on all their clocks, and inside the contact policy's window in every one of them.
    if (
      contact.phone !== undefined &&
      contact.timeZone === undefined &&
      contact.candidateTimeZones.length === 0
    ) {
      contact.candidateTimeZones = await localDecisions.zonesForNumber(contact.phone);
    }
    const ask = (now: string) =>
      localDecisions.decideContact({
        now,
        contact,
        channel: request.channel === 'agent-call' ? 'voice' : request.channel,
        purpose: 'courtesy',
        outreachId: workflowId,
        ...(request.channel === 'agent-call' ? {} : { needsAgent: false }),
      });
    // The policy knows the zones: the contact's, the number's, or the country's listed ones.
    const zones = (await ask(new Date(Date.now()).toISOString())).timeZones;
    if (zones.length === 0) {
      outreaches.push({ at: new Date(Date.now()).toISOString(), outcome: 'no-time-zone' });
      return finish('no-time-zone');
    }
    next = await localDecisions.planYearlyOutreach({
      month: request.month,
      day: request.day,
      daysBefore: request.daysBefore,
      localTime: request.localTime,
      timeZones: [...zones],
      after: new Date(Date.now()).toISOString(),
      locale: request.locale,
    });
    const atPlan = await ask(next.outreachAt);
    outreachAtMs = atPlan.verdict === 'not-yet' ? atPlan.untilEpochMs : Date.parse(next.outreachAt);
  } else {
    let timeZone = contact.timeZone ?? contact.candidateTimeZones[0];
    if (timeZone === undefined && contact.phone !== undefined) {
      timeZone = (await localDecisions.zonesForNumber(contact.phone))[0];
    }
    next = await localDecisions.planYearlyOutreach({
      month: request.month,
      day: request.day,
      daysBefore: request.daysBefore,
      localTime: request.localTime,
      timeZone: timeZone ?? 'UTC',
      after: new Date(Date.now()).toISOString(),
      locale: request.locale,
    });
    outreachAtMs = Date.parse(next.outreachAt);
  }
  const waited = await waitUntil(outreachAtMs);
  if (waited === 'cancelled') return finish('cancelled');
  if (waited === 'moved' && moved !== undefined && 'month' in moved) {
    // The next run plans from the new date; what happened so far is carried over.
    return continueAsNew<typeof courtesyMessage>(
      { request: { ...request, month: moved.month, day: moved.day }, customerKeys, company },
      { outreaches },
    );
  }
  setState('sending');
  const startedAt = new Date(Date.now()).toISOString();
  let outcome: string;
  if (request.channel === 'agent-call') {
    // Recorded for the agent desk; placing the call is the callback flow's job.
    outcome = 'agent-call-requested';
  } else {
    // One child per occasion date: a moved date in the same year is a new message, not a repeat.
    const result = await deliver(next.occasionDate, {
      channel: request.channel,
      contact,
      customerKey: customerKeys[0] ?? '',
      template: `${request.channel}.courtesy.occasion`,
      locale: request.locale,
      variables: { company, occasion: request.occasion, date: next.dateText },
      purpose: 'courtesy',
      // A greeting after the day itself is worse than none.
      notAfter: `${next.occasionDate}T23:59:59Z`,
    });
    outcome = result.outcome;
  }
  outreaches.push({ at: startedAt, occasionDate: next.occasionDate, outcome });
  if (cancelled !== undefined) return finish('cancelled');
  return continueAsNew<typeof courtesyMessage>(rawInput, { outreaches: outreaches.slice(-REMEMBERED) });
}
