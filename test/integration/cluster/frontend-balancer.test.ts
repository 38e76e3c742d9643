import { Connection } from '@temporalio/client';
import { startFrontendBalancer, type FrontendBalancer } from '../../../runtime/frontend-balancer';
import { eventually, freePort, sharedServerAddress } from '../../harness/temporal';

/**
 * The balancer `recontact cluster up` puts in front of every frontend, against the shared dev
 * server: a second balancer in front of the same server stands in for a second node that can die.
 */
describe('the frontend balancer', () => {
  const opened: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const item of opened.splice(0).reverse()) await item.close().catch(() => undefined);
  });

  async function balancer(frontends: string[], healthCheckEveryMs = 60_000): Promise<FrontendBalancer> {
    const started = await startFrontendBalancer({ port: 0, frontends, healthCheckEveryMs });
    opened.push(started);
    return started;
  }

  async function callThrough(address: string): Promise<string | undefined> {
    const connection = await Connection.connect({ address, connectTimeout: '5s' });
    try {
      return (await connection.workflowService.getSystemInfo({})).serverVersion ?? undefined;
    } finally {
      await connection.close();
    }
  }

  it('skips a frontend that refuses the connection, on the same client attempt', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    // No health check runs during the test: only the failed connect can tell the balancer.
    const front = await balancer([dead, sharedServerAddress()]);
    for (let call = 0; call < 4; call += 1) expect(await callThrough(front.address)).toBeTruthy();
    const [deadStatus, liveStatus] = front.status();
    expect(deadStatus).toMatchObject({ address: dead, healthy: false, served: 0 });
    expect(deadStatus?.reason).toMatch(/ECONNREFUSED/);
    expect(liveStatus).toMatchObject({ healthy: true, served: 4 });
  });

  it('spreads new connections over the frontends in turn', async () => {
    const second = await balancer([sharedServerAddress()]);
    const front = await balancer([sharedServerAddress(), second.address]);
    for (let call = 0; call < 6; call += 1) await callThrough(front.address);
    expect(front.status().map((frontend) => frontend.served)).toEqual([3, 3]);
  });

  it('health-checks the frontends: a dead one turns unhealthy, a live one healthy again', async () => {
    const port = await freePort();
    let second = await startFrontendBalancer({ port, frontends: [sharedServerAddress()] });
    const front = await balancer([sharedServerAddress(), second.address], 200);
    await eventually(
      async () => (front.status().every((frontend) => frontend.healthy) ? true : undefined),
      5_000,
    );
    await second.close();
    await eventually(async () => (front.status()[1]?.healthy === false ? true : undefined), 5_000);
    second = await startFrontendBalancer({ port, frontends: [sharedServerAddress()] });
    opened.push(second);
    await eventually(async () => (front.status()[1]?.healthy === true ? true : undefined), 5_000);
  });

  it('moves a long-lived client connection to a survivor when its frontend dies', async () => {
    const second = await balancer([sharedServerAddress()]);
    // The first connection goes to the second "node" (round robin from the first frontend).
    const front = await balancer([second.address, sharedServerAddress()]);
    const connection = await Connection.connect({ address: front.address });
    opened.push(connection);
    await connection.workflowService.getSystemInfo({});
    expect(front.status()[0]?.open).toBe(1);
    await second.close();
    // The same Connection object: gRPC reconnects through the balancer, which skips the dead frontend.
    const version = await eventually(async () => {
      try {
        return (await connection.workflowService.getSystemInfo({})).serverVersion ?? undefined;
      } catch {
        return undefined;
      }
    }, 20_000);
    expect(version).toBeTruthy();
    expect(front.status()[1]?.served).toBeGreaterThanOrEqual(1);
  });
});
