import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { RecontactClient } from '../../client/recontact-client';
import { allSearchAttributes } from '../../workflows/search-attributes';
import { recontactCommand, runToEnd } from '../harness/cli';
import { connectTestClient, sharedServerAddress } from '../harness/temporal';

/** `recontact setup-namespace` against a real server: what a self-hosted cluster or compose runs once. */
describe('recontact setup-namespace', () => {
  const namespace = `setup-${randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-setup-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TEMPORAL_ADDRESS: sharedServerAddress(),
    TEMPORAL_NAMESPACE: namespace,
    DATA_DIR: dataDir,
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the namespace with every search attribute, and a second run changes nothing', async () => {
    const first = await runToEnd([...recontactCommand, 'setup-namespace', '--retention-days', '3'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`namespace ${namespace}: created`);

    // From the outside: the server describes the namespace with the retention asked for, and the
    // doctor finds every search attribute registered.
    const connection = await Connection.connect({ address: sharedServerAddress() });
    try {
      const described = await connection.workflowService.describeNamespace({ namespace });
      expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(3 * 86_400);
      const listed = await connection.operatorService.listSearchAttributes({ namespace });
      for (const key of allSearchAttributes) expect(listed.customAttributes[key.name]).toBeDefined();
    } finally {
      await connection.close();
    }
    const client = await connectTestClient(undefined, namespace);
    try {
      const checks = await new RecontactClient(client, 'nobody-polls').doctor();
      expect(checks.slice(0, 3).map((check) => [check.name, check.ok])).toEqual([
        ['temporal', true],
        ['namespace', true],
        ['search-attributes', true],
      ]);
    } finally {
      await client.connection.close();
    }

    const second = await runToEnd([...recontactCommand, 'setup-namespace'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`namespace ${namespace}: already there`);
    expect(second.stdout).toContain('search attributes: all registered already');
  });

  it('names the flag and the rule on bad input, and creates nothing', async () => {
    const other = `setup-${randomUUID().slice(0, 8)}`;
    const result = await runToEnd([...recontactCommand, 'setup-namespace', '--retention-days', '0'], {
      ...env,
      TEMPORAL_NAMESPACE: other,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--retention-days: at least 1 day');
    const connection = await Connection.connect({ address: sharedServerAddress() });
    try {
      await expect(connection.workflowService.describeNamespace({ namespace: other })).rejects.toMatchObject({
        code: 5,
      });
    } finally {
      await connection.close();
    }
  });

  it('exits 1 with the address when no cluster answers', async () => {
    const result = await runToEnd([...recontactCommand, 'setup-namespace', '--timeout', '1'], {
      ...env,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('setup-namespace against 127.0.0.1:1 failed');
  });
});
