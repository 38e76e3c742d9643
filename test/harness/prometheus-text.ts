/** One sample of a scrape: metric name, labels, value. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusScrape {
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
  samples: PrometheusSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+(-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`not a sample value: ${line}`);
  return value;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = LABEL.exec(rest);
    if (match === null) throw new Error(`bad labels: ${line}`);
    const [whole, key = '', raw = ''] = match;
    labels[key] = raw.replace(/\\(.)/g, (_escape, char: string) => (char === 'n' ? '\n' : char));
    rest = rest.slice(whole.length);
  }
  return labels;
}

/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4): every line is a HELP, a
 * TYPE, a comment or a sample, or the scrape is refused; a sample's family must have its TYPE first,
 * and a family's TYPE comes once.
 */
export function parsePrometheusText(text: string): PrometheusScrape {
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const typeLine = new RegExp(`^# TYPE (${NAME}) (\\S+)$`).exec(line);
      if (typeLine !== null) {
        const [, name = '', type = ''] = typeLine;
        if (!TYPES.has(type)) throw new Error(`unknown type: ${line}`);
        if (types.has(name)) throw new Error(`second TYPE for ${name}`);
        types.set(name, type);
      } else if (
        line.startsWith('# TYPE') ||
        (line.startsWith('# HELP') && !new RegExp(`^# HELP ${NAME} `).test(line))
      ) {
        throw new Error(`bad metadata: ${line}`);
      }
      continue;
    }
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample: ${line}`);
    const [, name = '', labels, value = ''] = match;
    const family = [...types.keys()].find(
      (family) =>
        name === family || ['_bucket', '_sum', '_count', '_total'].some((suffix) => name === family + suffix),
    );
    if (family === undefined) throw new Error(`sample before its TYPE: ${line}`);
    samples.push({
      name,
      labels: labels === undefined ? {} : parseLabels(labels, line),
      value: parseValue(value, line),
    });
  }
  return { types, samples };
}

/** The value of the sample `name` whose labels include `labels`; 0 when there is none yet. */
export function sampleValue(
  scrape: PrometheusScrape,
  name: string,
  labels: Record<string, string> = {},
): number {
  const sample = scrape.samples.find(
    (candidate) =>
      candidate.name === name &&
      Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
  );
  return sample?.value ?? 0;
}
