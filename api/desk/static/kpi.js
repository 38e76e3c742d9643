// The supervisor's KPI page: the report of GET /desk/api/supervisor/kpi (the same numbers as
// `recontact report` and /v1/reports/kpi), as tiles, a funnel chart, a per-agent table, punctuality,
// cost, deliveries, reminders and rescues.
// Chart.js comes from its own script tag (window.Chart); every number reaches the page as text.
import { api, el, problem, setUpSignIn } from './desk-common.js';

const $ = (id) => document.getElementById(id);
const charts = {};

/** A share as the report gives it (0–1) → "25.0%"; null → "—". */
export function percent(share) {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`;
}
function number(value, digits = 1) {
  return value === null || value === undefined ? '—' : String(Number(value.toFixed(digits)));
}

const FUNNEL = [
  ['abandonsReceived', 'Abandons received'],
  ['abandonedCallers', 'Abandoned callers'],
  ['ignored', 'Ignored'],
  ['smsOnly', 'SMS only'],
  ['acknowledged', 'Acknowledged'],
  ['offered', 'Offered'],
  ['connected', 'Connected'],
  ['voicemail', 'Voicemail'],
  ['unreached', 'Unreached'],
  ['expired', 'Expired'],
  ['resolvedElsewhere', 'Resolved elsewhere'],
  ['cancelled', 'Cancelled'],
  ['notAllowed', 'Not allowed'],
];

function localDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function renderTiles(report) {
  const tiles = [
    ['recovery.recoveredShare', 'Recovered share', percent(report.recovery.recoveredShare)],
    ['recovery.recovered', 'Recovered callers', report.recovery.recovered],
    ['recovery.valueRecovered', 'Value recovered', number(report.recovery.valueRecovered, 2)],
    ['recovery.outreachCost', 'Outreach cost', number(report.recovery.outreachCost, 2)],
    [
      'recovery.costPerRecoveredCaller',
      'Cost per recovered caller',
      number(report.recovery.costPerRecoveredCaller, 2),
    ],
    ['recovery.netValue', 'Value − cost', number(report.recovery.netValue, 2)],
    ['punctuality.onTimeShare', 'Called as promised', percent(report.punctuality.onTimeShare)],
    [
      'timeToConversation.p50Minutes',
      'Abandon → talk p50 (min)',
      number(report.timeToConversation.p50Minutes),
    ],
    [
      'timeToConversation.p90Minutes',
      'Abandon → talk p90 (min)',
      number(report.timeToConversation.p90Minutes),
    ],
    [
      'attemptsPerConnectedCallback',
      'Attempts per connected',
      number(report.attemptsPerConnectedCallback, 2),
    ],
    ['recontact.share', `Re-contact within ${report.recontact.days} d`, percent(report.recontact.share)],
  ];
  $('tiles').replaceChildren(
    ...tiles.map(([figure, label, value]) =>
      el('div', { className: 'tile' }, [
        el('span', { className: 'tile-value', text: value, attrs: { 'data-figure': figure } }),
        el('span', { text: label }),
      ]),
    ),
  );
}

function renderFunnel(report) {
  $('funnel').replaceChildren(
    ...FUNNEL.map(([key, label]) =>
      el('tr', {}, [
        el('th', { text: label, attrs: { scope: 'row' } }),
        el('td', { text: report.funnel[key], attrs: { 'data-figure': `funnel.${key}` } }),
      ]),
    ),
  );
  draw('funnel-chart', {
    type: 'bar',
    data: {
      labels: FUNNEL.map(([, label]) => label),
      datasets: [
        { label: 'Callers', data: FUNNEL.map(([key]) => report.funnel[key]), backgroundColor: '#3b6ea5' },
      ],
    },
    options: { indexAxis: 'y', animation: false, plugins: { legend: { display: false } } },
  });
}

function renderAgents(report) {
  const ids = new Set([
    ...report.offerAcceptance.map((row) => row.agentId),
    ...report.surveys.map((row) => row.agentId),
  ]);
  const rows = [...ids].sort().map((agentId) => ({
    agentId,
    offers: report.offerAcceptance.find((row) => row.agentId === agentId),
    survey: report.surveys.find((row) => row.agentId === agentId),
  }));
  $('agent-rows').replaceChildren(
    ...rows.map(({ agentId, offers, survey }) =>
      el('tr', { attrs: { 'data-agent-id': agentId } }, [
        el('th', { text: agentId, attrs: { scope: 'row' } }),
        el('td', { text: offers?.offers ?? 0, attrs: { 'data-figure': 'offers' } }),
        el('td', { text: offers?.accepted ?? 0, attrs: { 'data-figure': 'accepted' } }),
        el('td', { text: percent(offers?.acceptance ?? null), attrs: { 'data-figure': 'acceptance' } }),
        el('td', { text: percent(survey?.csat ?? null), attrs: { 'data-figure': 'csat' } }),
        el('td', { text: number(survey?.nps ?? null), attrs: { 'data-figure': 'nps' } }),
      ]),
    ),
  );
  draw('agents-chart', {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.agentId),
      datasets: [
        {
          label: 'Offer acceptance %',
          data: rows.map((row) => (row.offers?.acceptance == null ? 0 : row.offers.acceptance * 100)),
          backgroundColor: '#5a9a68',
        },
      ],
    },
    options: { animation: false, scales: { y: { min: 0, max: 100 } } },
  });
}

/** Rows of [figure path, label, value] as a two-column table. */
function figureRows(tbody, rows) {
  $(tbody).replaceChildren(
    ...rows.map(([figure, label, value]) =>
      el('tr', {}, [
        el('th', { text: label, attrs: { scope: 'row' } }),
        el('td', { text: value, attrs: { 'data-figure': figure } }),
      ]),
    ),
  );
}

function renderPunctuality(report) {
  const p = report.punctuality;
  figureRows('punctuality', [
    ['punctuality.promised', 'Promised a time', p.promised],
    ['punctuality.onTime', 'Called on time', p.onTime],
    ['punctuality.late', 'Called late', p.late],
    ['punctuality.neverCalled', 'Never called', p.neverCalled],
    ['punctuality.lateP50Minutes', 'Late by, p50 (min)', number(p.lateP50Minutes)],
    ['punctuality.lateP90Minutes', 'Late by, p90 (min)', number(p.lateP90Minutes)],
    ['punctuality.lateMaxMinutes', 'Late by, at most (min)', number(p.lateMaxMinutes)],
  ]);
  draw('punctuality-chart', {
    type: 'doughnut',
    data: {
      labels: ['On time', 'Late', 'Never called'],
      datasets: [
        {
          data: [p.onTime, p.late, p.neverCalled],
          backgroundColor: ['#5a9a68', '#d9a441', '#b5483b'],
        },
      ],
    },
    // Doughnuts default to square: as wide as the panel, that is taller than the page needs.
    options: { animation: false, aspectRatio: 2 },
  });
}

function renderCost(report) {
  const rows = [...Object.entries(report.cost.byPurpose), ['total', report.cost.total]];
  $('cost-rows').replaceChildren(
    ...rows.map(([purpose, row]) =>
      el('tr', { attrs: { 'data-purpose': purpose } }, [
        el('th', { text: purpose, attrs: { scope: 'row' } }),
        el('td', { text: row.smsSegments, attrs: { 'data-figure': 'smsSegments' } }),
        el('td', { text: row.callMinutes, attrs: { 'data-figure': 'callMinutes' } }),
        el('td', { text: number(row.cost, 4), attrs: { 'data-figure': 'cost' } }),
      ]),
    ),
  );
}

function renderMessages(report) {
  $('message-rows').replaceChildren(
    ...Object.entries(report.messages).map(([purpose, row]) =>
      el('tr', { attrs: { 'data-purpose': purpose } }, [
        el('th', { text: purpose, attrs: { scope: 'row' } }),
        el('td', { text: row.sent, attrs: { 'data-figure': 'sent' } }),
        el('td', { text: row.delivered, attrs: { 'data-figure': 'delivered' } }),
        el('td', { text: row.failed, attrs: { 'data-figure': 'failed' } }),
      ]),
    ),
  );
}

function renderReminders(report) {
  const r = report.reminders;
  const s = report.rescues;
  figureRows('reminders', [
    ['reminders.appointments', 'Appointments', r.appointments],
    ['reminders.confirmed', 'Confirmed', r.confirmed],
    ['reminders.rescheduled', 'Asked to reschedule', r.rescheduled],
    ['reminders.cancelled', 'Cancelled', r.cancelled],
    ['reminders.unanswered', 'Unanswered', r.unanswered],
    ['rescues.detractorAnswers', 'Detractor answers', s.detractorAnswers],
    ['rescues.callbacks', 'Rescue callbacks', s.callbacks],
    ['rescues.reached', 'Detractors rescued (reached)', s.reached],
    ['rescues.recontacted', 'Rescued, back within the window', s.recontacted],
    ['optedOut', 'Opted out', report.optedOut],
  ]);
}

function draw(id, config) {
  charts[id]?.destroy();
  if (typeof window.Chart !== 'function') return; // the table carries the numbers without the chart
  charts[id] = new window.Chart($(id), config);
}

async function load() {
  const query = new URLSearchParams({ from: $('from').value, to: $('to').value });
  if ($('queue').value.trim()) query.set('queue', $('queue').value.trim());
  if ($('agent').value.trim()) query.set('agent', $('agent').value.trim());
  if ($('tenant').value.trim()) query.set('tenant', $('tenant').value.trim());
  const result = await api('GET', `/desk/api/supervisor/kpi?${query}`);
  if (!result.ok) {
    $('message').textContent = `No report: ${problem(result)}`;
    $('message').dataset.kind = 'error';
    return;
  }
  const report = result.data;
  $('message').textContent = `${report.period.from} to ${report.period.to} (${report.period.timeZone})`;
  $('message').dataset.kind = 'info';
  renderTiles(report);
  renderFunnel(report);
  renderAgents(report);
  renderPunctuality(report);
  renderCost(report);
  renderMessages(report);
  renderReminders(report);
  $('unsupported').replaceChildren(
    ...report.unsupported.map((row) => el('li', { text: `${row.figure}: ${row.why}` })),
  );
  document.body.dataset.loaded = `${report.period.from}/${report.period.to}/${query}`;
}

setUpSignIn({
  role: 'supervisor',
  onSignedIn(me) {
    $('who').textContent = me.subjectId;
    const today = new Date();
    $('to').value = localDate(new Date(today.getTime() + 86_400_000));
    $('from').value = localDate(new Date(today.getTime() - 6 * 86_400_000));
    void load();
  },
});
$('period').addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});
