import {
  api,
  contextList,
  customerTitle,
  el,
  followEvents,
  linkReporter,
  PAGE_SIZE,
  pager,
  problem,
  setUpSignIn,
  token,
} from './desk-common.js';

const $ = (id) => document.getElementById(id);
let view;
/** Server time minus this browser's clock, so the countdown holds on a desk with a wrong clock. */
let skewMs = 0;
/** Callbacks this agent lost a claim for: hidden until the server's list no longer shows them. */
const lost = new Set();
let countdown;
/** Which page of the claimable callbacks this page shows. */
let queueOffset = 0;
let events;
let showPage = () => undefined;

function say(text, kind = 'info') {
  const message = $('message');
  message.textContent = text;
  message.dataset.kind = kind;
}

async function act(path, body, success) {
  const result = await api('POST', path, body);
  if (result.ok) say(success, 'ok');
  return result;
}

function renderPresence() {
  for (const button of document.querySelectorAll('#presence button')) {
    button.setAttribute('aria-pressed', String(view?.me?.presence === button.dataset.presence));
  }
  $('presence-now').textContent = view?.me ? `You are ${view.me.presence}.` : '';
}

function renderOffer() {
  const box = $('offer');
  box.replaceChildren();
  clearInterval(countdown);
  const offer = view?.offer;
  $('offer-panel').dataset.active = String(Boolean(offer));
  if (!offer) {
    box.append(
      el('p', {
        className: 'empty',
        text:
          view?.me?.presence === 'available'
            ? 'Waiting for a callback to be offered to you…'
            : 'Go available to receive offers.',
      }),
    );
    return;
  }
  const remaining = el('p', { className: 'countdown', attrs: { id: 'offer-countdown', 'aria-live': 'off' } });
  const tick = () => {
    const seconds = Math.max(0, Math.ceil((offer.expiresAt - (Date.now() + skewMs)) / 1000));
    remaining.textContent = seconds > 0 ? `Offer expires in ${seconds} s` : 'Offer expired';
  };
  tick();
  countdown = setInterval(tick, 250);
  const card = offer.card;
  box.append(
    el('article', { className: 'card offer', attrs: { 'data-workflow-id': offer.workflowId } }, [
      el('h3', { className: 'customer-name', text: card ? customerTitle(card) : 'Callback' }),
      remaining,
      card ? contextList(card) : null,
      el('div', { className: 'actions' }, [
        el('button', {
          className: 'primary',
          text: 'Accept — call now',
          attrs: { id: 'accept' },
          on: {
            click: async () => {
              const result = await act(
                `/desk/api/agent/callbacks/${offer.workflowId}/accept`,
                undefined,
                'Accepted: your phone rings first, then the customer’s.',
              );
              if (!result.ok) say(`Could not accept: ${problem(result)}`, 'error');
            },
          },
        }),
        el('button', {
          text: 'Reject',
          attrs: { id: 'reject' },
          on: {
            click: async () => {
              const result = await act(
                `/desk/api/agent/callbacks/${offer.workflowId}/reject`,
                undefined,
                'Rejected: the next agent is asked.',
              );
              if (!result.ok) say(`Could not reject: ${problem(result)}`, 'error');
            },
          },
        }),
      ]),
    ]),
  );
  $('accept').focus();
}

const STATE_TEXT = {
  dialling: 'Customer being dialled: your phone rings first, then the customer’s.',
  'on-call': 'On call with the customer. Record the disposition when you hang up.',
  'retry-wait': 'Nobody was reached; the callback will be retried.',
  done: 'Finished.',
};

function dispositionForm(workflowId) {
  const select = el(
    'select',
    { attrs: { id: 'disposition', name: 'disposition', required: true } },
    [
      ['resolved', 'Resolved'],
      ['follow-up', 'Follow-up at a chosen time'],
      ['wrong-number', 'Wrong number'],
      ['voicemail-left', 'Voicemail left'],
      ['not-interested', 'Not interested'],
      ['no-answer', 'No answer after all'],
    ].map(([value, label]) => el('option', { text: label, attrs: { value } })),
  );
  const followUp = el('input', { attrs: { id: 'follow-up-at', type: 'datetime-local', name: 'followUpAt' } });
  const followUpRow = el('p', { attrs: { hidden: true } }, [
    el('label', { text: 'Follow-up at ', attrs: { for: 'follow-up-at' } }),
    followUp,
  ]);
  select.addEventListener('change', () => {
    followUpRow.hidden = select.value !== 'follow-up';
    followUp.required = select.value === 'follow-up';
  });
  const notes = el('textarea', { attrs: { id: 'notes', name: 'notes', rows: 3, maxlength: 2000 } });
  const form = el('form', { attrs: { id: 'disposition-form', 'aria-label': 'Disposition' } }, [
    el('p', {}, [el('label', { text: 'Disposition ', attrs: { for: 'disposition' } }), select]),
    followUpRow,
    el('p', {}, [el('label', { text: 'Notes', attrs: { for: 'notes' } }), notes]),
    el('button', { className: 'primary', text: 'Record disposition', attrs: { type: 'submit' } }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { disposition: select.value };
    if (select.value === 'follow-up') body.followUpAt = new Date(followUp.value).toISOString();
    if (notes.value.trim()) body.notes = notes.value.trim();
    const result = await act(
      `/desk/api/agent/callbacks/${workflowId}/disposition`,
      body,
      'Disposition recorded.',
    );
    if (!result.ok) say(`Could not record the disposition: ${problem(result)}`, 'error');
  });
  return form;
}

function renderCurrent() {
  const box = $('current');
  const current = view?.current;
  $('current-panel').dataset.active = String(Boolean(current));
  // Keep a half-filled disposition form while the same call stays on-call.
  if (current && box.dataset.key === `${current.workflowId}:${current.state}`) return;
  box.dataset.key = current ? `${current.workflowId}:${current.state}` : '';
  box.replaceChildren();
  if (!current) {
    box.append(el('p', { className: 'empty', text: 'No call in progress.' }));
    return;
  }
  box.append(
    el('article', { className: 'card', attrs: { 'data-workflow-id': current.workflowId } }, [
      el('h3', { className: 'customer-name', text: current.card ? customerTitle(current.card) : 'Callback' }),
      el('p', {
        className: `call-state state-${current.state}`,
        attrs: { id: 'call-state', role: 'status' },
        text: STATE_TEXT[current.state] ?? `State: ${current.state}`,
      }),
      current.card ? contextList(current.card) : null,
      current.state === 'on-call' ? dispositionForm(current.workflowId) : null,
    ]),
  );
}

function renderQueue() {
  const list = $('queue');
  list.replaceChildren();
  const shown = (view?.queue ?? []).filter((card) => !lost.has(card.workflowId));
  // Forget a lost claim once the server's list has dropped it too.
  for (const id of lost) if (!(view?.queue ?? []).some((card) => card.workflowId === id)) lost.delete(id);
  const page = view?.queuePage ?? { offset: 0, limit: PAGE_SIZE, total: 0 };
  $('queue-count').textContent = `(${page.total})`;
  showPage(page, view?.queue?.length ?? 0);
  list.start = page.offset + 1;
  // The page emptied (callbacks claimed or gone) while earlier ones remain: show the last page.
  if ((view?.queue ?? []).length === 0 && page.offset > 0 && page.total > 0) {
    moveTo(Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
  }
  if (shown.length === 0) {
    list.append(el('li', { className: 'empty', text: 'No due callbacks you may claim.' }));
    return;
  }
  const busy = Boolean(view.offer || view.current);
  for (const card of shown) {
    list.append(
      el('li', { className: 'card', attrs: { 'data-workflow-id': card.workflowId } }, [
        el('h3', { className: 'customer-name', text: customerTitle(card) }),
        contextList(card),
        el('button', {
          className: 'primary claim',
          text: 'Claim — call now',
          attrs: { disabled: busy, title: busy ? 'Finish your offer or call first' : undefined },
          on: {
            click: async (event) => {
              event.currentTarget.disabled = true;
              const result = await act(
                `/desk/api/agent/callbacks/${card.workflowId}/claim`,
                undefined,
                'Claimed: your phone rings first, then the customer’s.',
              );
              if (!result.ok) {
                lost.add(card.workflowId);
                say(`Not yours: ${problem(result)}. It has been removed from your list.`, 'error');
                renderQueue();
              }
            },
          },
        }),
      ]),
    );
  }
}

/** Shows another page of the queue: the live stream reconnects for it. */
function moveTo(offset) {
  if (offset === queueOffset) return;
  queueOffset = offset;
  events?.restart();
}

function render() {
  $('who').textContent = view?.me
    ? `${view.me.name} (${view.me.id}) · skills ${view.me.skills.join(', ') || '—'}`
    : '';
  renderPresence();
  renderOffer();
  renderCurrent();
  renderQueue();
}

setUpSignIn({
  role: 'agent',
  // An agent who signs out gets no more offers.
  beforeSignOut: () => api('PUT', '/desk/api/agent/presence', { presence: 'offline' }),
  onSignedIn: () => {
    for (const button of document.querySelectorAll('#presence button')) {
      button.addEventListener('click', async () => {
        const result = await api('PUT', '/desk/api/agent/presence', { presence: button.dataset.presence });
        if (!result.ok) say(`Could not change presence: ${problem(result)}`, 'error');
        else if (view?.me) {
          view.me.presence = result.data.presence;
          renderPresence();
        }
      });
    }
    const link = linkReporter();
    let lastOffer;
    showPage = pager({
      previous: $('queue-prev'),
      next: $('queue-next'),
      range: $('queue-range'),
      onMove: moveTo,
    });
    events = followEvents({
      query: () => `offset=${queueOffset}&limit=${PAGE_SIZE}`,
      onView: (next) => {
        skewMs = next.at - Date.now();
        const offerChanged = next.offer?.workflowId !== lastOffer;
        lastOffer = next.offer?.workflowId;
        view = next;
        renderPresence();
        $('who').textContent = view.me
          ? `${view.me.name} (${view.me.id}) · skills ${view.me.skills.join(', ') || '—'}`
          : '';
        if (offerChanged) renderOffer();
        renderCurrent();
        renderQueue();
      },
      onLink: link,
      onUnauthorized: () => {
        token.clear();
        location.reload();
      },
    });
    render();
  },
});
