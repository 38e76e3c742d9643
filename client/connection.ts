import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { Config } from '../config/config';
import { dataConverterFor } from '../codec/data-converter';

/**
 * How to reach Temporal with this configuration: TLS and API key for a cluster or Temporal
 * Cloud, plain gRPC for the embedded dev server. Shared by the client and the worker.
 */
export function temporalConnectionOptions(
  config: Config,
  address: string,
): Pick<ConnectionOptions, 'address' | 'tls'> & { apiKey?: string } {
  const clientCert =
    config.TEMPORAL_TLS_CERT_PATH !== undefined && config.TEMPORAL_TLS_KEY_PATH !== undefined
      ? {
          crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH),
          key: readFileSync(config.TEMPORAL_TLS_KEY_PATH),
        }
      : undefined;
  const tls = config.TEMPORAL_TLS ?? (config.TEMPORAL_API_KEY !== undefined || clientCert !== undefined);
  return {
    address,
    apiKey: config.TEMPORAL_API_KEY,
    tls: tls ? (clientCert ? { clientCertPair: clientCert } : true) : false,
  };
}

/** The address Temporal is reached at: the configured one, or the embedded dev server's. */
export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.DEV_SERVER_PORT}`;
}

export async function connectClient(config: Config, address = temporalAddress(config)): Promise<Client> {
  const connection = await Connection.connect({
    ...temporalConnectionOptions(config, address),
    connectTimeout: '5s',
  });
  // Every payload encrypted, every failure message encoded: see docs/security.md.
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(config),
  });
}
