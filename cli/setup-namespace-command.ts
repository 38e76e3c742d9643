import { Connection } from '@temporalio/client';
import { z } from 'zod';
import type { Config } from '../config/config';
import { temporalAddress, temporalConnectionOptions } from '../client/connection';
import { setupNamespace } from '../client/setup-namespace';

const optionsSchema = z.object({
  retentionDays: z.coerce
    .number({ error: 'expected a whole number of days' })
    .int('expected a whole number of days')
    .min(1, 'at least 1 day')
    .max(3650, 'at most 3650 days'),
  timeout: z.coerce
    .number({ error: 'expected a whole number of seconds' })
    .int('expected a whole number of seconds')
    .min(1, 'at least 1 second')
    .max(600, 'at most 600 seconds'),
});

const flagOf: Record<string, string> = { retentionDays: '--retention-days', timeout: '--timeout' };

/**
 * `recontact setup-namespace`: creates TEMPORAL_NAMESPACE on a self-hosted cluster when missing and
 * registers every search attribute. Exit 0 when ready, 1 when the cluster refused, 2 on bad flags.
 */
export async function runSetupNamespaceCommand(
  config: Config,
  options: { retentionDays: string; timeout: string },
): Promise<void> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`${flagOf[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
    process.exit(2);
  }
  const address = temporalAddress(config);
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({
      ...temporalConnectionOptions(config, address),
      connectTimeout: '10s',
    });
    await setupNamespace(connection, config.TEMPORAL_NAMESPACE, {
      retentionDays: parsed.data.retentionDays,
      timeoutMs: parsed.data.timeout * 1000,
      onStep: (line) => console.log(line),
    });
    console.log(`Temporal at ${address} is ready for Recontact (namespace ${config.TEMPORAL_NAMESPACE}).`);
  } catch (error) {
    console.error(
      `setup-namespace against ${address} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  } finally {
    await connection?.close();
  }
}
