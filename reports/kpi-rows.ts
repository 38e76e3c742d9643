import type { KpiReport } from '../domain/kpi';

const number = (value: number | null, digits = 2): string =>
  value === null ? 'n/a' : String(Number(value.toFixed(digits)));
const percent = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);

/** The report as [figure, value] rows, for a table or a CSV file: every figure once, named plainly. */
export function kpiRows(report: KpiReport): [string, string][] {
  const { funnel, recovery, timeToConversation, recontact, punctuality, cost, reminders, rescues } = report;
  return [
    ['period', `${report.period.from} to ${report.period.to} (${report.period.timeZone})`],
    ['queue', report.filters.queue ?? 'all'],
    ['agent', report.filters.agent ?? 'all'],
    ['tenant', report.filters.tenant ?? 'all'],
    ['abandons received', String(funnel.abandonsReceived)],
    ['abandoned callers', String(funnel.abandonedCallers)],
    ['ignored', String(funnel.ignored)],
    ...Object.entries(funnel.ignoredByReason).map(([reason, count]): [string, string] => [
      `ignored: ${reason}`,
      String(count),
    ]),
    ['sms only', String(funnel.smsOnly)],
    ['acknowledged', String(funnel.acknowledged)],
    ['offered', String(funnel.offered)],
    ['connected', String(funnel.connected)],
    ['voicemail', String(funnel.voicemail)],
    ['unreached', String(funnel.unreached)],
    ['expired', String(funnel.expired)],
    ['resolved elsewhere', String(funnel.resolvedElsewhere)],
    ['cancelled', String(funnel.cancelled)],
    ['not allowed', String(funnel.notAllowed)],
    ['real abandons', String(recovery.realAbandons)],
    ['recovered callers', String(recovery.recovered)],
    ['recovered share', percent(recovery.recoveredShare)],
    ['value per answered call', number(recovery.valuePerAnsweredCall)],
    ['value recovered', number(recovery.valueRecovered)],
    ['outreach cost of the abandons', number(recovery.outreachCost, 4)],
    ['cost per recovered caller', number(recovery.costPerRecoveredCaller, 4)],
    ['value recovered minus cost', number(recovery.netValue, 4)],
    ['sms price per segment', number(cost.smsPricePerSegment, 4)],
    ['call price per minute', number(cost.callPricePerMinute, 4)],
    ...Object.entries(cost.byPurpose).flatMap(([purpose, row]): [string, string][] => [
      [`${purpose} cost`, `${number(row.cost, 4)} (${row.smsSegments} segments, ${row.callMinutes} min)`],
    ]),
    [
      'outreach cost',
      `${number(cost.total.cost, 4)} (${cost.total.smsSegments} segments, ${cost.total.callMinutes} min, ${cost.total.providerPriced} priced by the provider)`,
    ],
    ['callback sms sent', String(report.outreach.callbackSms)],
    ['callback calls placed', String(report.outreach.callbackCalls)],
    ['abandon to conversation p50 (min)', number(timeToConversation.p50Minutes, 1)],
    ['abandon to conversation p90 (min)', number(timeToConversation.p90Minutes, 1)],
    ['attempts per connected callback', number(report.attemptsPerConnectedCallback)],
    ['promised a time', String(punctuality.promised)],
    ['called as promised', `${percent(punctuality.onTimeShare)} (${punctuality.onTime})`],
    ['called late', String(punctuality.late)],
    ['promised, never called', String(punctuality.neverCalled)],
    ['late by p50 (min)', number(punctuality.lateP50Minutes, 1)],
    ['late by p90 (min)', number(punctuality.lateP90Minutes, 1)],
    ['late by at most (min)', number(punctuality.lateMaxMinutes, 1)],
    ...report.offerAcceptance.map((row): [string, string] => [
      `offer acceptance: ${row.agentId}`,
      `${percent(row.acceptance)} (${row.accepted}/${row.offers})`,
    ]),
    [
      `re-contact within ${recontact.days} days`,
      `${percent(recontact.share)} (${recontact.recontacted}/${recontact.resolved})`,
    ],
    ...report.surveys.flatMap((row): [string, string][] => [
      [`csat: ${row.agentId}`, `${percent(row.csat)} (${row.csatResponses})`],
      [`nps: ${row.agentId}`, `${number(row.nps, 1)} (${row.npsResponses})`],
    ]),
    ...Object.entries(report.messages).flatMap(([purpose, row]): [string, string][] => [
      [`${purpose} sent`, String(row.sent)],
      [`${purpose} delivered`, String(row.delivered)],
      [`${purpose} failed`, String(row.failed)],
    ]),
    ['appointments', String(reminders.appointments)],
    ['appointments confirmed', String(reminders.confirmed)],
    ['appointments rescheduled', String(reminders.rescheduled)],
    ['appointments cancelled', `${reminders.cancelled} (${reminders.cancelledByCustomer} by the customer)`],
    ['appointments unanswered', String(reminders.unanswered)],
    ['appointments already past', String(reminders.pastAppointment)],
    ['reminders sent', String(reminders.remindersSent)],
    ['detractor answers', String(rescues.detractorAnswers)],
    ['rescue callbacks', String(rescues.callbacks)],
    ['detractors rescued', String(rescues.reached)],
    ...Object.entries(rescues.byOutcome).map(([outcome, count]): [string, string] => [
      `rescue outcome: ${outcome}`,
      String(count),
    ]),
    [`rescued customers back within ${recontact.days} days`, String(rescues.recontacted)],
    ['opted out', String(report.optedOut)],
    ...report.unsupported.map((row): [string, string] => [`not measured: ${row.figure}`, row.why]),
  ];
}
