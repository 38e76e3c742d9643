import { progressLine, summaryText } from '../../../cli/import/progress-line';
import { readCsv } from '../../../cli/import/read-rows';

describe('import file reading', () => {
  it('numbers CSV rows by the line they start on, with quoted commas, quotes and newlines', () => {
    const { rows, problems } = readCsv('id,note\n1,"a, ""b"""\n2,"two\nlines"\n3,x,extra\n4,plain\n');
    expect(rows).toEqual([
      { line: 2, fields: { id: '1', note: 'a, "b"' } },
      { line: 3, fields: { id: '2', note: 'two\nlines' } },
      { line: 6, fields: { id: '4', note: 'plain' } },
    ]);
    expect(problems).toEqual([{ line: 5, message: 'expected 2 fields as in the header, found 3' }]);
  });
});

describe('import output', () => {
  it('draws a progress bar with count, rate and ETA for a terminal', () => {
    expect(
      progressLine(
        { total: 10_000, done: 2_500, started: 2_400, alreadyStarted: 100, failed: 0, elapsedMs: 50_000 },
        8,
      ),
    ).toBe('[##......] 2500/10000 · 50.0/s · ETA 2m30s · 100 already started');
  });

  it('summarises bad rows by line and field, the counts and how to resume', () => {
    const text = summaryText({
      file: 'a.csv',
      kind: 'reminder',
      rows: 4,
      total: 3,
      done: 2,
      started: 1,
      alreadyStarted: 1,
      failed: 0,
      elapsedMs: 2_000,
      badRows: [{ line: 3, problems: [{ field: 'at', message: 'expected an ISO 8601 instant' }] }],
      failures: [],
      interrupted: true,
      refused: false,
    });
    expect(text.split('\n')).toEqual([
      'import a.csv (--kind reminder): 4 rows, 1 bad',
      '  line 3: at: expected an ISO 8601 instant',
      'started 1, already started 1, failed 0 of 3 good rows in 2s (1.0/s)',
      'interrupted after 2 rows: run the same command again to resume (no duplicates).',
    ]);
  });
});
