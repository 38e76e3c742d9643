import { connect, createServer, type Socket } from 'node:net';
import { grpcHealthCheck } from './grpc-health-check';

export interface FrontendBalancerOptions {
  /** Port to listen on, on `host`; 0 picks a free one. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** `host:port` of every Temporal frontend. */
  frontends: string[];
  /** @default 1000 */
  healthCheckEveryMs?: number;
  /** A frontend that does not accept a connection within this long is skipped. @default 1000 */
  connectTimeoutMs?: number;
  /** Called when a frontend turns healthy or unhealthy (the health check or a failed connect). */
  onChange?: (frontend: FrontendStatus) => void;
}

export interface FrontendStatus {
  address: string;
  healthy: boolean;
  /** When `healthy` last changed (ISO). */
  since: string;
  /** Why it turned unhealthy. */
  reason?: string;
  /** Client connections open through it now. */
  open: number;
  /** Client connections it was given since the balancer started. */
  served: number;
}

export interface FrontendBalancer {
  /** `host:port` the clients use. */
  address: string;
  status(): FrontendStatus[];
  close(): Promise<void>;
}

/**
 * A layer-4 (TCP) load balancer in front of every frontend of a Temporal cluster. Each new client
 * connection goes to the next healthy frontend in turn (round robin); when that frontend refuses
 * the connection, the next one is tried for the same client, so a dead node costs a client no
 * failed attempt. A gRPC health check marks frontends up and down between connections. An open
 * connection stays on its frontend (gRPC multiplexes every call over it): when that node dies the
 * kernel closes the connection, the client reconnects, and the balancer sends it to a survivor.
 */
export function startFrontendBalancer(options: FrontendBalancerOptions): Promise<FrontendBalancer> {
  const host = options.host ?? '127.0.0.1';
  const connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
  const frontends: FrontendStatus[] = options.frontends.map((address) => ({
    address,
    healthy: true,
    since: new Date().toISOString(),
    open: 0,
    served: 0,
  }));
  if (frontends.length === 0) throw new Error('the balancer needs at least one frontend');
  const mark = (frontend: FrontendStatus, healthy: boolean, reason?: string) => {
    if (frontend.healthy === healthy) return;
    frontend.healthy = healthy;
    frontend.since = new Date().toISOString();
    if (healthy) delete frontend.reason;
    else frontend.reason = reason ?? 'unhealthy';
    options.onChange?.({ ...frontend });
  };
  const sockets = new Set<Socket>();
  let next = 0;

  /** Healthy frontends from the round-robin position on, then the unhealthy ones as a last resort. */
  const order = (): FrontendStatus[] => {
    const rotated = frontends.map((_, offset) => frontends[(next + offset) % frontends.length]);
    next = (next + 1) % frontends.length;
    const known = rotated.filter((frontend): frontend is FrontendStatus => frontend !== undefined);
    return [
      ...known.filter((frontend) => frontend.healthy),
      ...known.filter((frontend) => !frontend.healthy),
    ];
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    void (async () => {
      for (const frontend of order()) {
        if (client.destroyed) return;
        const upstream = await connectTo(frontend.address, connectTimeoutMs).catch((error: unknown) => {
          mark(frontend, false, `connect: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        });
        if (upstream === undefined) continue;
        if (client.destroyed) {
          upstream.destroy();
          return;
        }
        splice(client, upstream, frontend);
        return;
      }
      client.destroy();
    })();
  });

  function splice(client: Socket, upstream: Socket, frontend: FrontendStatus): void {
    sockets.add(upstream);
    frontend.open += 1;
    frontend.served += 1;
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', closeBoth);
    client.on('error', closeBoth);
    upstream.on('close', () => {
      sockets.delete(upstream);
      frontend.open -= 1;
      closeBoth();
    });
    client.on('close', closeBoth);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }

  const checkEveryMs = options.healthCheckEveryMs ?? 1_000;
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void Promise.all(
      frontends.map(async (frontend) => {
        const healthy = await grpcHealthCheck(frontend.address, undefined, checkEveryMs);
        mark(frontend, healthy, 'health check failed');
      }),
    ).finally(() => {
      checking = false;
    });
  }, checkEveryMs);

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : options.port;
      resolve({
        address: `${host}:${port}`,
        status: () => frontends.map((frontend) => ({ ...frontend })),
        close: () =>
          new Promise<void>((done) => {
            clearInterval(timer);
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function connectTo(address: string, timeoutMs: number): Promise<Socket> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator);
  const port = Number(address.slice(separator + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    });
  });
}
