import {
  api,
  el,
  followEvents,
  formatSeconds,
  linkReporter,
  PAGE_SIZE,
  pager,
  problem,
  setUpSignIn,
  token,
} from './desk-common.js';

const $ = (id) => document.getElementById(id);
let view;
let selected;
/** Which page of the open callbacks this page shows; the filters are applied by the server. */
let offset = 0;
let events;
let showPage = () => undefined;

function say(text, kind = 'info') {
  $('message').textContent = text;
  $('message').dataset.kind = kind;
}

/** The stream's query: the page and the filters that are set. */
function query() {
  const params = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) });
  const state = $('filter-state').value;
  const skill = $('filter-skill').value.trim();
  const agent = $('filter-agent').value.trim();
  const age = Number($('filter-age').value || 0);
  if (state) params.set('state', state);
  if (skill) params.set('skill', skill);
  if (agent) params.set('agent', agent);
  if (age > 0) params.set('olderThanMinutes', String(Math.floor(age)));
  return params.toString();
}

function moveTo(next) {
  offset = next;
  events?.restart();
}

function ageSeconds(item) {
  return item.requestedAt ? (Date.now() - Date.parse(item.requestedAt)) / 1000 : 0;
}

function renderCounts() {
  const counts = view?.counts;
  const box = $('counts');
  box.replaceChildren();
  const tiles = [
    ['Requested today', counts?.requested],
    ['Completed today', counts?.completed],
    ['Expired today', counts?.expired],
    [
      'Avg. time to callback',
      counts?.averageSecondsToCallback == null ? '—' : formatSeconds(counts.averageSecondsToCallback),
    ],
  ];
  for (const [label, value] of tiles) {
    box.append(
      el('div', { className: 'tile' }, [
        el('span', { className: 'tile-value', text: value ?? '…' }),
        el('span', { text: label }),
      ]),
    );
  }
}

function renderCallbacks() {
  const rows = view?.callbacks ?? [];
  const page = view?.page ?? { offset: 0, limit: PAGE_SIZE, total: 0 };
  const body = $('callbacks');
  body.replaceChildren();
  $('callback-count').textContent = `(${page.total})`;
  showPage(page, rows.length);
  // The page emptied while earlier rows remain: show the last page.
  if (rows.length === 0 && page.offset > 0 && page.total > 0) {
    moveTo(Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
  }
  if (rows.length === 0) {
    body.append(
      el('tr', {}, [
        el('td', { className: 'empty', text: 'No open callbacks match.', attrs: { colspan: 8 } }),
      ]),
    );
    return;
  }
  for (const item of rows) {
    const holder = item.holder ? `${item.holder.agentId} (${item.holder.kind})` : (item.agentId ?? '—');
    body.append(
      el(
        'tr',
        {
          attrs: {
            'data-workflow-id': item.workflowId,
            'aria-selected': String(item.workflowId === selected),
          },
        },
        [
          el('td', { className: 'mono', text: item.workflowId.slice(0, 18) + '…' }),
          el('td', { text: item.state ?? '—' }),
          el('td', { text: item.skill ?? '—' }),
          el('td', { text: item.priority ?? 0 }),
          el('td', { text: formatSeconds(ageSeconds(item)) }),
          el('td', { text: holder }),
          el('td', { text: item.attempts ?? 0 }),
          el('td', {}, [
            el('button', {
              text: 'Open',
              attrs: { type: 'button', 'aria-label': `Open ${item.workflowId}` },
              on: { click: () => select(item.workflowId) },
            }),
          ]),
        ],
      ),
    );
  }
}

function renderAgents() {
  const body = $('agents');
  body.replaceChildren();
  for (const agent of view?.agents ?? []) {
    body.append(
      el('tr', {}, [
        el('td', { text: agent.id }),
        el('td', { text: agent.name }),
        el('td', {
          className: `presence-${agent.presence}`,
          text: agent.presenceNote ? `${agent.presence}: ${agent.presenceNote}` : agent.presence,
        }),
        el('td', { text: formatSeconds((Date.now() - agent.presenceChangedAt) / 1000) }),
        el('td', { text: agent.skills.join(', ') }),
        el('td', { text: agent.hold ? `${agent.hold.kind} ${agent.hold.workflowId.slice(0, 18)}…` : '—' }),
      ]),
    );
  }
  const reassign = $('reassign-agent');
  const chosen = reassign.value;
  reassign.replaceChildren(
    ...(view?.agents ?? []).map((agent) =>
      el('option', { text: `${agent.name} (${agent.id}, ${agent.presence})`, attrs: { value: agent.id } }),
    ),
  );
  if (chosen) reassign.value = chosen;
}

async function select(workflowId, { focus = true } = {}) {
  selected = workflowId;
  renderCallbacks();
  const result = await api('GET', `/desk/api/supervisor/callbacks/${workflowId}`);
  const box = $('detail-body');
  box.replaceChildren();
  $('detail').hidden = false;
  if (!result.ok) {
    box.append(el('p', { text: problem(result) }));
    return;
  }
  const status = result.data;
  const context = status.context;
  const list = el('dl', { className: 'context' });
  for (const [term, value] of [
    ['Callback', status.workflowId],
    ['Customer', context.customerName ?? 'name unknown'],
    ['State', `${status.state}${status.outcome ? ` (${status.outcome})` : ''}`],
    ['Why', status.detail],
    ['Reason', context.reason ?? '—'],
    ['Queue', `${context.queue} (skill ${context.skill})`],
    ['Priority', String(status.priority)],
    [
      'Agent',
      status.agent ? status.agent.agentId : status.offer ? `offered to ${status.offer.agentId}` : '—',
    ],
  ]) {
    list.append(el('dt', { text: term }), el('dd', { text: value }));
  }
  const timeline = el(
    'ol',
    { className: 'timeline' },
    status.timeline
      .slice(-12)
      .map((entry) =>
        el('li', { text: `${new Date(entry.at).toLocaleTimeString()} · ${entry.step}: ${entry.detail}` }),
      ),
  );
  box.append(list, el('h3', { text: 'Timeline (latest)' }), timeline);
  if (focus) $('detail-h').focus();
}

async function operate(path, body, done) {
  if (!selected) return;
  const result = await api('POST', `/desk/api/supervisor/callbacks/${selected}/${path}`, body);
  if (result.ok) {
    say(done, 'ok');
    await select(selected);
  } else say(`Not done: ${problem(result)}`, 'error');
}

function wireOperations() {
  $('op-priority').addEventListener('submit', (event) => {
    event.preventDefault();
    void operate('priority', { points: Number($('priority-points').value) }, 'Priority raised.');
  });
  $('op-reassign').addEventListener('submit', (event) => {
    event.preventDefault();
    void operate(
      'reassign',
      { agentId: $('reassign-agent').value },
      'Reassigned: offered to that agent first.',
    );
  });
  $('op-reschedule').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('reschedule-at').value;
    void operate('reschedule', { notBefore: value ? new Date(value).toISOString() : '' }, 'Rescheduled.');
  });
  $('op-cancel').addEventListener('submit', (event) => {
    event.preventDefault();
    void operate('cancel', { reason: $('cancel-reason').value }, 'Cancelled.');
  });
  // A filter is applied by the server: the stream reconnects (a moment after the last keystroke).
  let typing;
  for (const id of ['filter-state', 'filter-skill', 'filter-agent', 'filter-age'])
    $(id).addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => moveTo(0), 250);
    });
}

setUpSignIn({
  role: 'supervisor',
  onSignedIn: (me) => {
    $('who').textContent = `Supervisor ${me.subjectId}`;
    wireOperations();
    const link = linkReporter();
    showPage = pager({
      previous: $('callbacks-prev'),
      next: $('callbacks-next'),
      range: $('callbacks-range'),
      onMove: moveTo,
    });
    events = followEvents({
      query,
      onView: (next) => {
        view = next;
        renderCounts();
        renderCallbacks();
        renderAgents();
        // The open callback follows the live view too (an operation's effect can land a moment later).
        if (selected && !$('detail').hidden) void select(selected, { focus: false });
      },
      onLink: link,
      onUnauthorized: () => {
        token.clear();
        location.reload();
      },
    });
  },
});
