/**
 * The configuration file of one node of the local Temporal cluster: every service (frontend,
 * history, matching, worker) in one process, persistence and visibility on PostgreSQL, membership
 * through the shared database (each node broadcasts 127.0.0.1 and its own membership ports).
 */
export interface ClusterNodeConfig {
  index: number;
  /** Ports of node i start at `basePort + 10 * i` (see {@link nodePorts}). */
  basePort: number;
  postgres: { host: string; port: number; user: string; password: string };
  /** Fixed when the cluster's database is created; cannot change afterwards. */
  numHistoryShards: number;
  /** deploy/temporal/dynamicconfig.yaml: the same dynamic configuration as the embedded server. */
  dynamicConfigFile: string;
}

export interface NodePorts {
  frontend: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
  frontendHttp: number;
}

/**
 * Node i uses ten consecutive ports from `basePort + 10 * i`; its frontend (gRPC) is the first.
 * All must stay below 32768: Temporal records membership ports in a PostgreSQL smallint.
 */
export function nodePorts(basePort: number, index: number): NodePorts {
  const first = basePort + 10 * index;
  return {
    frontend: first,
    history: first + 1,
    matching: first + 2,
    worker: first + 3,
    frontendMembership: first + 4,
    historyMembership: first + 5,
    matchingMembership: first + 6,
    workerMembership: first + 7,
    frontendHttp: first + 8,
  };
}

export const TEMPORAL_DATABASE = 'temporal';
export const VISIBILITY_DATABASE = 'temporal_visibility';

export function clusterNodeConfigYaml(node: ClusterNodeConfig): string {
  const ports = nodePorts(node.basePort, node.index);
  const first = nodePorts(node.basePort, 0);
  const store = (database: string, maxConns: number) => `      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: ${JSON.stringify(`${node.postgres.host}:${node.postgres.port}`)}
        connectProtocol: tcp
        user: ${JSON.stringify(node.postgres.user)}
        password: ${JSON.stringify(node.postgres.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (grpcPort: number, membershipPort: number, extra = '') => `    rpc:
      grpcPort: ${grpcPort}
      membershipPort: ${membershipPort}
      bindOnLocalHost: true${extra}`;
  return `# Node ${node.index} of Recontact's local Temporal cluster (recontact cluster up). Generated; do not edit.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${node.numHistoryShards}
  datastores:
    postgres-default:
${store(TEMPORAL_DATABASE, 20)}
    postgres-visibility:
${store(VISIBILITY_DATABASE, 5)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1

services:
  frontend:
${service(ports.frontend, ports.frontendMembership, `\n      httpPort: ${ports.frontendHttp}`)}
  history:
${service(ports.history, ports.historyMembership)}
  matching:
${service(ports.matching, ports.matchingMembership)}
  worker:
${service(ports.worker, ports.workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${first.frontend}

dcRedirectionPolicy:
  policy: noop

dynamicConfigClient:
  filepath: ${JSON.stringify(node.dynamicConfigFile)}
  pollInterval: 10s
`;
}
