// The supervisor's KPI page: the report of GET /desk/api/supervisor/kpi (the same numbers as
// `recontact report` and /v1/reports/kpi), as tiles, a funnel chart and a per-agent table.
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

function draw(id, config) {
  charts[id]?.destroy();
  if (typeof window.Chart !== 'function') return; // the table carries the numbers without the chart
  charts[id] = new window.Chart($(id), config);
}

async function load() {
  const query = new URLSearchParams({ from: $('from').value, to: $('to').value });
  if ($('queue').value.trim()) query.set('queue', $('queue').value.trim());
  if ($('agent').value.trim()) query.set('agent', $('agent').value.trim());
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
