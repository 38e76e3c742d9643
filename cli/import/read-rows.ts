import { readFileSync } from 'node:fs';

/** One record of an import file with the line it starts on (1-based, the header is line 1 in CSV). */
export interface SourceRow {
  line: number;
  /** Field values as read: strings from CSV, any JSON value from JSONL. */
  fields: Record<string, unknown>;
}

/** A problem that stops a record from being read at all (bad JSON, a stray quote). */
export interface ReadProblem {
  line: number;
  message: string;
}

/** Reads `.csv` (RFC 4180: header row, quoted fields may hold commas, quotes and newlines) or `.jsonl`. */
export function readImportFile(file: string): { rows: SourceRow[]; problems: ReadProblem[] } {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (/\.jsonl$/i.test(file) || /\.ndjson$/i.test(file)) return readJsonLines(text);
  if (/\.csv$/i.test(file)) return readCsv(text);
  throw new Error(`${file}: expected a .csv or .jsonl file`);
}

export function readJsonLines(text: string): { rows: SourceRow[]; problems: ReadProblem[] } {
  const rows: SourceRow[] = [];
  const problems: ReadProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push({ line, message: 'expected a JSON object' });
      } else {
        rows.push({ line, fields: value as Record<string, unknown> });
      }
    } catch (error) {
      problems.push({ line, message: `invalid JSON: ${(error as Error).message}` });
    }
  });
  return { rows, problems };
}

export function readCsv(text: string): { rows: SourceRow[]; problems: ReadProblem[] } {
  const records: { line: number; values: string[] }[] = [];
  const problems: ReadProblem[] = [];
  let values: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endField = () => {
    values.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (!(values.length === 1 && values[0] === '')) records.push({ line: recordLine, values });
    values = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) problems.push({ line: recordLine, message: 'a quoted field is never closed' });
  else if (field !== '' || values.length > 0) endRecord();

  const [header, ...body] = records;
  if (header === undefined) return { rows: [], problems };
  const names = header.values.map((name) => name.trim());
  const rows: SourceRow[] = [];
  for (const record of body) {
    if (record.values.length !== names.length) {
      problems.push({
        line: record.line,
        message: `expected ${names.length} fields as in the header, found ${record.values.length}`,
      });
      continue;
    }
    rows.push({
      line: record.line,
      fields: Object.fromEntries(names.map((name, i) => [name, record.values[i]])),
    });
  }
  return { rows, problems };
}
