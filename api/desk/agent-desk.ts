import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { CallbackClient } from '../../client/callbacks';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RecontactClient } from '../../client/recontact-client';
import type { ContactStore } from '../../store';
import { registerDeskAgentRoutes } from './desk-agent-routes';
import { registerDeskEvents } from './desk-events';
import { DeskHub } from './desk-hub';
import { registerDeskPages } from './desk-pages';
import { registerDeskSupervisorRoutes } from './desk-supervisor-routes';
import { deskAuth, identityOf } from './desk-auth';
import { registerDeskKpiRoutes } from './desk-kpi-routes';
import type { KpiQuery, KpiReport } from '../../domain/kpi';

export interface AgentDeskDeps {
  client: RecontactClient;
  store: ContactStore;
  /** Runs the callback dispatcher (an agent became available). */
  dispatch: () => Promise<void>;
  /** The KPI report for the supervisor's KPI page; without it the page says the report is off. */
  kpiReport?: (query: KpiQuery) => Promise<KpiReport>;
}

/**
 * The agent desk (decision 5): pages at `/desk` and `/desk/supervisor`, the token-checked API and
 * live stream under `/desk/api`, all fed by one `DeskHub` per server process.
 */
export async function registerAgentDesk(
  app: FastifyInstance,
  { client, store, dispatch, kpiReport }: AgentDeskDeps,
): Promise<void> {
  const reads = readOnlyTemporal(client);
  const hub = new DeskHub({
    store,
    callbacks: reads.callbacks,
    temporal: reads.temporal,
    onError: (error) => app.log.warn({ err: error }, 'agent desk: a read failed; the last snapshot stays'),
  });
  registerDeskPages(app);
  let endStreams: () => void = () => undefined;
  await app.register(
    async (scope) => {
      const routes = scope.withTypeProvider<ZodTypeProvider>();
      routes.get(
        '/me',
        {
          onRequest: deskAuth(store, ['agent', 'supervisor']),
          schema: { summary: 'Who this desk token belongs to', tags: ['agent desk'] },
        },
        async (request) => {
          const { role, subjectId } = identityOf(request);
          const agent = role === 'agent' ? await store.getAgent(subjectId) : undefined;
          return { role, subjectId, ...(agent !== undefined ? { name: agent.name } : {}) };
        },
      );
      endStreams = registerDeskEvents(routes, { store, hub });
      registerDeskAgentRoutes(routes, { store, callbacks: client.callbacks, hub, dispatch });
      registerDeskSupervisorRoutes(routes, { store, callbacks: client.callbacks, hub });
      if (kpiReport !== undefined) registerDeskKpiRoutes(routes, { store, kpiReport });
    },
    { prefix: '/desk/api' },
  );
  app.addHook('preClose', async () => {
    hub.stop();
    endStreams();
    await reads.close();
  });
}

/**
 * The hub's own Temporal connection, without the SDK's gRPC retry interceptor: a poller retries
 * at its next tick anyway, and a retry timer left behind by a cancelled call would fire on a
 * closed channel at shutdown. Falls back to the shared client when its connection is not a plain one.
 */
function readOnlyTemporal(client: RecontactClient): {
  temporal: Client;
  callbacks: CallbackClient;
  close: () => Promise<void>;
} {
  const shared = client.temporal;
  if (!(shared.connection instanceof Connection)) {
    return { temporal: shared, callbacks: client.callbacks, close: async () => undefined };
  }
  const connection = Connection.lazy({ ...shared.connection.options, interceptors: [] });
  const temporal = new Client({
    connection,
    namespace: shared.options.namespace,
    dataConverter: shared.options.dataConverter,
  });
  // Reads only (status, list): the secret keys customer hashes for starts, which this client never makes.
  const callbacks = new CallbackClient({
    temporal,
    taskQueue: client.taskQueue,
    customerKeySecret: randomBytes(32).toString('hex'),
  });
  return { temporal, callbacks, close: () => connection.close() };
}
