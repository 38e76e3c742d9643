import type { KpiReport } from '../domain/kpi';

const number = (value: number | null, digits = 2): string =>
  value === null ? 'n/a' : String(Number(value.toFixed(digits)));
const percent = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);

/** The report as [figure, value] rows, for a table or a CSV file: every figure once, named plainly. */
export function kpiRows(report: KpiReport): [string, string][] {
  const { funnel, recovery, timeToConversation, recontact } = report;
  return [
    ['period', `${report.period.from} to ${report.period.to} (${report.period.timeZone})`],
    ['queue', report.filters.queue ?? 'all'],
    ['agent', report.filters.agent ?? 'all'],
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
    ['callback sms sent', String(report.outreach.callbackSms)],
    ['callback calls placed', String(report.outreach.callbackCalls)],
    ['abandon to conversation p50 (min)', number(timeToConversation.p50Minutes, 1)],
    ['abandon to conversation p90 (min)', number(timeToConversation.p90Minutes, 1)],
    ['attempts per connected callback', number(report.attemptsPerConnectedCallback)],
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
    ...Object.entries(report.messages).map(([purpose, row]): [string, string] => [
      `${purpose} sent`,
      String(row.sent),
    ]),
    ['opted out', String(report.optedOut)],
    ...report.unsupported.map((row): [string, string] => [`not measured: ${row.figure}`, row.why]),
  ];
}
