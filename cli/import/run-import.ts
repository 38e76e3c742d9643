import type { CourtesyClient } from '../../client/courtesy';
import type { ReminderClient } from '../../client/reminders';
import { InvalidRequestError } from '../../client/invalid-request';
import { parseRow, type ImportKind, type ParsedRow } from './import-kinds';
import { readImportFile } from './read-rows';

export interface BadRow {
  line: number;
  problems: { field: string; message: string }[];
}

export interface ImportProgress {
  total: number;
  done: number;
  started: number;
  alreadyStarted: number;
  failed: number;
  elapsedMs: number;
}

export interface ImportSummary extends ImportProgress {
  file: string;
  kind: ImportKind;
  rows: number;
  badRows: BadRow[];
  /** Rows that failed to start, with the reason (Temporal unreachable, a row refused as past, …). */
  failures: { line: number; message: string }[];
  /** True when Ctrl-C (or `signal`) stopped it early; re-running resumes without duplicates. */
  interrupted: boolean;
  /** `--strict` with bad rows: nothing was started. */
  refused: boolean;
}

export interface ImportOptions {
  file: string;
  kind: ImportKind;
  /** Start nothing when any row is bad. */
  strict?: boolean;
  /** Starts per second at most. @default 50 */
  ratePerSecond?: number;
  /** Starts in flight at most. @default 16 */
  concurrency?: number;
  /** The clients that start the rows' runs (a RecontactClient has both). */
  outreach: { reminders: ReminderClient; courtesy: CourtesyClient };
  /** The workers' customer-key secret: a notice row's id carries the recipient's key. */
  customerKeySecret: string;
  /** Stops launching new starts; in-flight ones finish. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Validates every row first, then starts a workflow per good row with its idempotent id at a
 * controlled rate. Safe to re-run after an interruption or a crash: a row whose workflow exists
 * counts as "already started" and starts nothing.
 */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const begun = Date.now();
  const { rows, problems } = readImportFile(options.file);
  const badRows: BadRow[] = problems.map((problem) => ({
    line: problem.line,
    problems: [{ field: '(row)', message: problem.message }],
  }));
  const good: { line: number; row: ParsedRow }[] = [];
  for (const source of rows) {
    const parsed = parseRow(options.kind, source.fields, options.customerKeySecret);
    if (parsed.ok) good.push({ line: source.line, row: parsed.row });
    else badRows.push({ line: source.line, problems: parsed.problems });
  }
  badRows.sort((a, b) => a.line - b.line);

  const progress: ImportProgress = {
    total: good.length,
    done: 0,
    started: 0,
    alreadyStarted: 0,
    failed: 0,
    elapsedMs: 0,
  };
  const failures: { line: number; message: string }[] = [];
  const summary = (interrupted: boolean, refused: boolean): ImportSummary => ({
    ...progress,
    elapsedMs: Date.now() - begun,
    file: options.file,
    kind: options.kind,
    rows: rows.length + problems.length,
    badRows,
    failures: failures.sort((a, b) => a.line - b.line),
    interrupted,
    refused,
  });
  if (options.strict && badRows.length > 0) return summary(false, true);

  const rate = options.ratePerSecond ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const startedAt = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) return;
      const index = next++;
      const item = good[index];
      if (item === undefined) return;
      // Row i may start no earlier than i/rate seconds after the first: a steady pace, no bursts.
      const wait = startedAt + (index * 1000) / rate - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (options.signal?.aborted) {
        next = good.length;
        return;
      }
      try {
        const result =
          item.row.kind === 'reminder'
            ? await options.outreach.reminders.start(item.row.request)
            : await options.outreach.courtesy.start(item.row.request);
        if (result.started) progress.started += 1;
        else progress.alreadyStarted += 1;
      } catch (error) {
        progress.failed += 1;
        failures.push({
          line: item.line,
          message: error instanceof InvalidRequestError ? error.message : (error as Error).message,
        });
      }
      progress.done += 1;
      progress.elapsedMs = Date.now() - startedAt;
      options.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, good.length)) }, worker));
  return summary(progress.done < good.length, false);
}
