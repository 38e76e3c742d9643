import { z } from 'zod';
import type { Config } from '../config/config';
import { RecontactClient } from '../client/recontact-client';
import { persistedSecret } from '../config/persisted-secret';
import { IMPORT_KINDS } from './import/import-kinds';
import { progressLine, summaryText } from './import/progress-line';
import { runImport } from './import/run-import';

export const importOptionsSchema = z.object({
  kind: z.enum(IMPORT_KINDS, { error: `--kind: expected one of ${IMPORT_KINDS.join(', ')}` }),
  strict: z.boolean().default(false),
  rate: z.coerce
    .number()
    .positive({ error: '--rate: expected starts per second above 0' })
    .max(10_000)
    .default(50),
});

/**
 * `recontact import <file> --kind …`: exit 0 when every row started or already was, 1 when some
 * failed to start, 2 for bad rows or options, 130 when interrupted (run again to resume).
 */
export async function runImportCommand(config: Config, file: string, rawOptions: unknown): Promise<void> {
  const parsed = importOptionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => issue.message).join('\n'));
    process.exit(2);
  }
  const options = parsed.data;
  const recontact = await RecontactClient.connect(config);
  const controller = new AbortController();
  const onInterrupt = () => {
    // Second Ctrl-C: stop at once; the first lets in-flight starts finish.
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  try {
    const summary = await runImport({
      file,
      kind: options.kind,
      strict: options.strict,
      ratePerSecond: options.rate,
      signal: controller.signal,
      outreach: recontact,
      customerKeySecret:
        config.CUSTOMER_KEY_SECRET ?? persistedSecret(config.DATA_DIR, 'customer-key-secret').value,
      onProgress: (progress) => {
        if (!tty) return;
        const now = Date.now();
        if (now - lastDraw < 100 && progress.done < progress.total) return;
        lastDraw = now;
        process.stderr.write(`\r${progressLine(progress)}\u001b[K`);
      },
    });
    if (tty && summary.total > 0 && !summary.refused) process.stderr.write('\n');
    console.log(summaryText(summary));
    process.exitCode = summary.interrupted
      ? 130
      : summary.badRows.length > 0
        ? 2
        : summary.failed > 0
          ? 1
          : 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    await recontact.close();
  }
}
