import { z } from 'zod';
import type { Config } from '../config/config';
import { RecontactClient } from '../client/recontact-client';

const timeoutSchema = z.coerce.number().int().min(1).max(120);

/** `recontact doctor`: exit 0 when every check passes, 1 when one fails, 2 on bad flags. */
export async function runDoctorCommand(config: Config, options: { json?: boolean; timeout: string }) {
  const timeout = timeoutSchema.safeParse(options.timeout);
  if (!timeout.success) {
    console.error(
      `--timeout: ${timeout.error.issues[0]?.message ?? 'invalid'} (a whole number of seconds, 1–120)`,
    );
    process.exit(2);
  }
  let client: RecontactClient | undefined;
  let checks;
  try {
    client = await RecontactClient.connect(config);
    checks = await client.doctor({ probeTimeoutSeconds: timeout.data });
  } catch (error) {
    checks = [
      {
        name: 'temporal',
        ok: false,
        detail: `cannot connect: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'start it with `npm start`, or set TEMPORAL_ADDRESS (and TLS / API key) to a running server',
      },
    ];
  } finally {
    await client?.close();
  }
  if (options.json) {
    console.log(JSON.stringify({ ok: checks.every((check) => check.ok), checks }, null, 2));
  } else {
    for (const check of checks) {
      console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(18)} ${check.detail}`);
      if (!check.ok && check.fix) console.log(`     ${''.padEnd(18)} fix: ${check.fix}`);
    }
  }
  process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
}
