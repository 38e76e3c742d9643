import type { OperationId, ParamOf } from './accepted-params';

/** Parsed `application/x-www-form-urlencoded` (or query) fields; a repeated key keeps every value. */
export type RawFields = ReadonlyMap<string, readonly string[]>;

export function parseForm(body: string): RawFields {
  const fields = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(body)) {
    const values = fields.get(key);
    if (values) values.push(value);
    else fields.set(key, [value]);
  }
  return fields;
}

/** Query-string fields as Fastify parsed them, in the same shape as a form. */
export function queryFields(query: unknown): RawFields {
  const fields = new Map<string, string[]>();
  if (typeof query !== 'object' || query === null) return fields;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    const values = (Array.isArray(value) ? value : [value]).filter(
      (item): item is string => typeof item === 'string',
    );
    fields.set(key, values);
  }
  return fields;
}

/**
 * The fields of one operation, readable only by the parameter names the sandbox declares it
 * accepts for that operation (`acceptedParams`), so what the contract test checks is what the
 * handlers read.
 */
export class FormFields<Op extends OperationId> {
  constructor(
    readonly operation: Op,
    private readonly raw: RawFields,
  ) {}

  /** The first value, undefined when absent or empty (Twilio treats an empty value as unset). */
  get(name: ParamOf<Op>): string | undefined {
    const value = this.raw.get(name)?.[0];
    return value === undefined || value === '' ? undefined : value;
  }

  all(name: ParamOf<Op>): string[] {
    return [...(this.raw.get(name) ?? [])];
  }
}
