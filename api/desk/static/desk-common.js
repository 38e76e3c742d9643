// Shared by the agent page and the supervisor view. Every piece of customer text reaches the page
// through textContent (see el()), never innerHTML: a name like <img onerror=…> shows as text.

const TOKEN_KEY = 'recontact.deskToken';

/** The token lives in this tab's sessionStorage and travels only in the Authorization header: no cookie, so no CSRF. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Builds an element: props.text → textContent, props.attrs → attributes, props.on → listeners. */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = String(props.text);
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined && value !== null && value !== false)
      node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [event, handler] of Object.entries(props.on ?? {})) node.addEventListener(event, handler);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Calls the desk API with the token; resolves to { ok, status, data }. */
export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${token.get() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data };
}

/** The error sentence of an API answer. */
export function problem(result) {
  return result.data?.error?.message ?? `the server answered ${result.status}`;
}

/**
 * Follows /desk/api/events (Server-Sent Events over fetch, so the token stays in a header) and
 * reconnects after a drop. onView(view) gets each changed view, onLink(state, at) the link state.
 * query() gives the stream's query string (the page of the list, the filters); the returned
 * function's restart() reconnects at once with a new one.
 */
export function followEvents({ onView, onLink, onUnauthorized, query = () => '' }) {
  let stopped = false;
  let restarting = false;
  let controller;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const search = query();
        const response = await fetch(`/desk/api/events${search ? `?${search}` : ''}`, {
          headers: { authorization: `Bearer ${token.get() ?? ''}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (response.status === 401 || response.status === 403) {
          onUnauthorized(response.status);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        onLink('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (event === 'view') {
              const view = JSON.parse(data);
              onLink('live', view.at);
              onView(view);
            } else if (event === 'tick') onLink('live', JSON.parse(data).at);
          }
        }
      } catch {
        if (stopped) return;
      }
      if (restarting) {
        restarting = false;
        continue;
      }
      onLink('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  void run();
  const stop = () => {
    stopped = true;
    controller?.abort();
  };
  stop.restart = () => {
    restarting = true;
    controller?.abort();
  };
  return stop;
}

/** How many rows a page of a desk list shows. */
export const PAGE_SIZE = 50;

/**
 * Previous / next buttons and "51–100 of 250" for a paged list. onMove(offset) is called with the
 * new offset; render(page) shows the page the server sent ({ offset, limit, total }).
 */
export function pager({ previous, next, range, onMove }) {
  let current = { offset: 0, limit: PAGE_SIZE, total: 0 };
  previous.addEventListener('click', () => onMove(Math.max(0, current.offset - PAGE_SIZE)));
  next.addEventListener('click', () => onMove(current.offset + PAGE_SIZE));
  return (page, shown) => {
    current = page;
    range.textContent =
      page.total === 0
        ? 'none'
        : `${Math.min(page.offset + 1, page.total)}–${Math.min(page.offset + shown, page.total)} of ${page.total}`;
    previous.disabled = page.offset === 0;
    next.disabled = page.offset + PAGE_SIZE >= page.total;
  };
}

/**
 * The sign-in form: checks the token with /desk/api/me, sends a token of the other role to its page.
 * Calls onSignedIn(me) once signed in (also at load when this tab already holds a token).
 */
export function setUpSignIn({ role, onSignedIn, beforeSignOut }) {
  const form = document.getElementById('sign-in');
  const error = document.getElementById('sign-in-error');
  const check = async () => {
    const result = await api('GET', '/desk/api/me');
    if (!result.ok) {
      token.clear();
      return problem(result);
    }
    if (result.data.role !== role) {
      location.assign(result.data.role === 'supervisor' ? '/desk/supervisor' : '/desk');
      return undefined;
    }
    document.getElementById('sign-in-panel').hidden = true;
    document.getElementById('desk').hidden = false;
    document.getElementById('sign-out').hidden = false;
    onSignedIn(result.data);
    return undefined;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    token.set(document.getElementById('token').value.trim());
    const message = await check();
    if (message) error.textContent = `Sign-in failed: ${message}`;
  });
  document.getElementById('sign-out').addEventListener('click', async () => {
    await beforeSignOut?.();
    token.clear();
    location.reload();
  });
  if (token.get()) void check();
  else document.getElementById('token').focus();
}

/** Shows the link state: live (with the data's age) or reconnecting. */
export function linkReporter() {
  const node = document.getElementById('link');
  let lastAt = 0;
  let state = 'connecting';
  const render = () => {
    const age = lastAt ? Math.max(0, Math.round((Date.now() - lastAt) / 1000)) : undefined;
    node.textContent =
      state === 'live'
        ? `Live${age !== undefined ? ` · updated ${age} s ago` : ''}`
        : state === 'reconnecting'
          ? 'Connection lost — reconnecting…'
          : 'Connecting…';
    node.dataset.state = state;
  };
  setInterval(render, 1000);
  return (next, at) => {
    state = next;
    if (at) lastAt = at;
    render();
  };
}

export function formatSeconds(total) {
  const seconds = Math.max(0, Math.round(total));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatTime(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/** The customer's local time now, from their time zone (when known). */
export function customerLocalTime(timeZone) {
  if (!timeZone) return undefined;
  try {
    return (
      new Date().toLocaleTimeString(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }) +
      ` (${timeZone})`
    );
  } catch {
    return undefined;
  }
}

/** A definition list of a callback's context: everything an agent needs so the customer repeats nothing. */
export function contextList(card) {
  const rows = [
    ['Reason', card.reason ?? '—'],
    ['Queue', `${card.queue} (skill ${card.skill})`],
    [
      'Waited',
      `${formatSeconds(card.waitedSeconds)} in the queue${card.abandonCount > 1 ? `, abandoned ${card.abandonCount} times` : ''}`,
    ],
    [
      'Requested',
      `${formatTime(card.requestedAt)} (${formatSeconds((Date.now() - Date.parse(card.requestedAt)) / 1000)} ago)`,
    ],
    ['Language', card.language ?? '—'],
    ['Local time', customerLocalTime(card.timeZone) ?? 'unknown time zone'],
    [
      'Survey',
      card.surveyScore ? `${String(card.surveyScore.type).toUpperCase()} ${card.surveyScore.score}` : '—',
    ],
    ['Tier', card.tier ?? '—'],
    ['Priority', String(card.priority)],
    [
      'Attempts',
      card.attempts.length === 0
        ? 'none yet'
        : card.attempts.map((a) => `#${a.attempt} ${formatTime(a.at)}: ${a.outcome}`).join('; '),
    ],
  ];
  const list = el('dl', { className: 'context' });
  for (const [term, value] of rows) list.append(el('dt', { text: term }), el('dd', { text: value }));
  return list;
}

export function customerTitle(card) {
  return card.customerName ? card.customerName : 'Caller (name unknown)';
}
