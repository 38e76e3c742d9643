import { connect } from 'node:http2';

/** The service a Temporal frontend reports as SERVING once it accepts calls. */
export const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';

/**
 * The standard gRPC health check (`grpc.health.v1.Health/Check`) against `address` (host:port),
 * spoken over plain HTTP/2 so that a layer-4 balancer needs no gRPC library: resolves `true` only
 * when the server answers SERVING for `service` within `timeoutMs`. A node whose port accepts
 * connections before its frontend is ready is not healthy yet.
 */
export function grpcHealthCheck(
  address: string,
  service = WORKFLOW_SERVICE,
  timeoutMs = 1_000,
): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const session = connect(`http://${address}`);
    const finish = (healthy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(healthy);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    session.on('error', () => finish(false));
    const name = Buffer.from(service, 'utf8');
    // HealthCheckRequest { service = 1 }: tag 0x0a, length, bytes (names here are < 128 bytes).
    const message = Buffer.concat([Buffer.from([0x0a, name.length]), name]);
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    message.copy(frame, 5);
    const request = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    request.on('error', () => finish(false));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('trailers', (trailers) => {
      const body = Buffer.concat(chunks);
      // HealthCheckResponse { status = 1 }: SERVING is 1, encoded as 0x08 0x01 after the 5-byte frame header.
      finish(trailers['grpc-status'] === '0' && body.length >= 7 && body[5] === 0x08 && body[6] === 0x01);
    });
    request.on('end', () => finish(false));
    request.end(frame);
  });
}
