import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { runImport } from '../../cli/import/run-import';
import { RecontactClient } from '../../client/recontact-client';
import type { BenchRow } from '../stats';

/**
 * `recontact import` of `count` reminder rows (10,000 with `--full`), unthrottled, as a ratio of the
 * trivial-workflow start rate measured in the same run: what validation, customer keys, the
 * idempotent-id reuse policy and the bigger payload cost per start. Then the re-run, which finds
 * every id taken and starts nothing. The runs go to a task queue nobody polls.
 */
export async function importRateSuite(
  client: Client,
  { count, baselinePerSecond }: { count: number; baselinePerSecond: number },
): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-import-'));
  try {
    const batch = randomUUID().slice(0, 8);
    const lines = ['appointmentId,at,phone,email,timeZone,country'];
    for (let n = 0; n < count; n += 1) {
      lines.push(
        `bench-${batch}-${n},2030-03-15T14:00:00Z,+1415${String(5_000_000 + n).padStart(7, '0')},,America/New_York,US`,
      );
    }
    const file = path.join(dir, 'reminders.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const recontact = new RecontactClient(client, `bench-import-${batch}`, {
      customerKeySecret: 'bench-secret-0123456789',
    });
    const options = {
      file,
      kind: 'reminder' as const,
      outreach: recontact,
      customerKeySecret: 'bench-secret-0123456789',
      ratePerSecond: 100_000,
      concurrency: 32,
    };

    const first = await runImport(options);
    const rerun = await runImport(options);
    const firstRate = (first.started * 1000) / first.elapsedMs;
    const rerunRate = (rerun.alreadyStarted * 1000) / rerun.elapsedMs;
    const ratio = (rate: number) => `${(rate / baselinePerSecond).toFixed(2)}×`;
    return [
      {
        benchmark: `import ${count} reminder rows (validate + start, 32 in flight)`,
        measured: `${firstRate.toFixed(0)}/s (${(first.elapsedMs / 1000).toFixed(1)} s, ${first.started} started)`,
        baseline: `${baselinePerSecond.toFixed(0)}/s trivial starts`,
        ratio: ratio(firstRate),
        target: '≥ 0.5× trivial starts; --rate caps it in production',
      },
      {
        benchmark: `re-run of the same ${count} rows (all already started)`,
        measured: `${rerunRate.toFixed(0)}/s (${rerun.started} started)`,
        baseline: `${baselinePerSecond.toFixed(0)}/s trivial starts`,
        ratio: ratio(rerunRate),
        target: '0 started',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
