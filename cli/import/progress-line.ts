import type { ImportProgress, ImportSummary } from './run-import';

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
    : `${seconds}s`;
}

/** One line for a TTY: `[#####.....] 1200/10000 · 48.9/s · ETA 3m00s · 12 already started · 1 failed`. */
export function progressLine(progress: ImportProgress, width = 24): string {
  const fraction = progress.total === 0 ? 1 : progress.done / progress.total;
  const filled = Math.round(fraction * width);
  const rate = progress.elapsedMs > 0 ? (progress.done * 1000) / progress.elapsedMs : 0;
  const eta = rate > 0 ? ((progress.total - progress.done) / rate) * 1000 : 0;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total}` +
    ` · ${rate.toFixed(1)}/s · ETA ${duration(eta)}` +
    (progress.alreadyStarted > 0 ? ` · ${progress.alreadyStarted} already started` : '') +
    (progress.failed > 0 ? ` · ${progress.failed} failed` : '')
  );
}

/** The plain summary printed at the end (and the only output without a TTY). */
export function summaryText(summary: ImportSummary): string {
  const lines = [
    `import ${summary.file} (--kind ${summary.kind}): ${summary.rows} rows, ${summary.badRows.length} bad`,
  ];
  for (const bad of summary.badRows) {
    for (const problem of bad.problems)
      lines.push(`  line ${bad.line}: ${problem.field}: ${problem.message}`);
  }
  if (summary.refused) {
    lines.push('--strict: bad rows found, nothing started. Fix them and run again.');
    return lines.join('\n');
  }
  lines.push(
    `started ${summary.started}, already started ${summary.alreadyStarted}, failed ${summary.failed}` +
      ` of ${summary.total} good rows in ${duration(summary.elapsedMs)}` +
      (summary.elapsedMs > 0 ? ` (${((summary.done * 1000) / summary.elapsedMs).toFixed(1)}/s)` : ''),
  );
  for (const failure of summary.failures)
    lines.push(`  line ${failure.line}: not started: ${failure.message}`);
  if (summary.interrupted) {
    lines.push(
      `interrupted after ${summary.done} rows: run the same command again to resume (no duplicates).`,
    );
  }
  return lines.join('\n');
}
