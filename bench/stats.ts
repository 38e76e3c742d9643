/** Percentile by nearest rank; `values` need not be sorted. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface BenchRow {
  benchmark: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
}

export function printTable(rows: BenchRow[]): void {
  const headers: (keyof BenchRow)[] = ['benchmark', 'measured', 'baseline', 'ratio', 'target'];
  const widths = headers.map((header) => Math.max(header.length, ...rows.map((row) => row[header].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(headers.map((header) => row[header])));
}

/** Runs `task` for each index with at most `concurrency` in flight. */
export async function pool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  });
  await Promise.all(lanes);
}
