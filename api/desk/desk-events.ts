import type { ServerResponse } from 'node:http';
import type { ContactStore } from '../../store';
import type { ZodRoutes } from '../agent-routes';
import { deskAuth, identityOf } from './desk-auth';
import type { DeskHub } from './desk-hub';
import { deskSupervisorQuerySchema, supervisorFilterOf } from './desk-schemas';
import type { DeskSnapshot } from './desk-views';

/** A page hears from the server at least this often, so it can tell a quiet desk from a dead link. */
const HEARTBEAT_MS = 5_000;
/**
 * A page's list is read again when the store changed (the snapshot's stamp), and at least this often
 * for what time alone changes (a reservation for another agent or an offer's preview ending).
 */
const PAGE_REFRESH_MS = 10_000;

/**
 * `GET /desk/api/events`: Server-Sent Events, read with `fetch` so the token travels in the
 * Authorization header (EventSource cannot send one, and a token in the URL ends up in logs).
 * Each page is a listener of the one hub: its view is the shared snapshot plus its own page of the
 * list (`?offset=&limit=`, and the supervisor's filters), read from the store at each tick and sent
 * only when it changed; `tick` events in between carry the snapshot's time. A page that moves to
 * another page of the list opens a new stream.
 * @returns a function that ends every open stream (before the server closes)
 */
export function registerDeskEvents(routes: ZodRoutes, { store, hub }: { store: ContactStore; hub: DeskHub }) {
  const open = new Set<ServerResponse>();
  routes.get(
    '/events',
    {
      onRequest: deskAuth(store, ['agent', 'supervisor']),
      schema: {
        summary: 'The live desk view of the token’s role, as Server-Sent Events (event: view | tick)',
        tags: ['agent desk'],
        querystring: deskSupervisorQuerySchema,
      },
    },
    (request, reply) => {
      const identity = identityOf(request);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      response.write('retry: 2000\n\n');
      open.add(response);
      const query = request.query;
      let lastView = '';
      let lastSentAt = 0;
      /** One read per page at a time: a tick that comes during a read is served after it, with the latest snapshot. */
      let reading = false;
      let waiting: DeskSnapshot | undefined;
      const viewOf = (snapshot: DeskSnapshot) =>
        identity.role === 'agent'
          ? hub.agentView(identity.subjectId, query, snapshot)
          : hub.supervisorView(supervisorFilterOf(query, Date.now()), query, snapshot);
      let readStamp = '';
      let readAt = 0;
      // Today's counts are the supervisor's too.
      const stampOf = (snapshot: DeskSnapshot) =>
        identity.role === 'supervisor' ? `${snapshot.stamp}|${snapshot.countsAt}` : snapshot.stamp;
      const send = (snapshot: DeskSnapshot) => {
        if (stampOf(snapshot) === readStamp && Date.now() - readAt < PAGE_REFRESH_MS) {
          heartbeat(snapshot);
          return;
        }
        if (reading) {
          waiting = snapshot;
          return;
        }
        reading = true;
        readStamp = stampOf(snapshot);
        readAt = Date.now();
        void viewOf(snapshot)
          .then((view) => {
            if (!response.writableEnded) write(view, snapshot);
          })
          .catch((error: unknown) => request.log.warn({ err: error }, 'agent desk: a page read failed'))
          .finally(() => {
            reading = false;
            const next = waiting;
            waiting = undefined;
            if (next !== undefined && !response.writableEnded) send(next);
          });
      };
      const write = (view: { at: number }, snapshot: DeskSnapshot) => {
        const comparable = JSON.stringify({ ...view, at: 0 });
        if (comparable !== lastView) {
          lastView = comparable;
          response.write(`event: view\ndata: ${JSON.stringify(view)}\n\n`);
          lastSentAt = Date.now();
        } else heartbeat(snapshot);
      };
      const heartbeat = (snapshot: DeskSnapshot) => {
        if (Date.now() - lastSentAt < HEARTBEAT_MS || response.writableEnded) return;
        response.write(`event: tick\ndata: ${JSON.stringify({ at: snapshot.at })}\n\n`);
        lastSentAt = Date.now();
      };
      const unsubscribe = hub.subscribe(send);
      response.on('close', () => {
        unsubscribe();
        open.delete(response);
      });
    },
  );
  return () => {
    for (const response of open) response.end();
    open.clear();
  };
}
