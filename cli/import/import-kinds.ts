import type { z } from 'zod';
import { customerKeyFor } from '../../domain/customer-key';
import { courtesyRequestSchema } from '../../domain/courtesy';
import { reminderRequestSchema } from '../../client/reminders';

export const IMPORT_KINDS = ['reminder', 'notice', 'courtesy'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const contactFields = ['phone', 'email', 'timeZone', 'country', 'locale'] as const;
const numberFields = new Set([
  'delayHours',
  'month',
  'day',
  'daysBefore',
  'agentCallHoursBefore',
  'maxEarlierHours',
]);

/**
 * A row as the client functions take it: empty CSV cells dropped, numeric columns read as numbers,
 * and flat contact columns (phone, email, timeZone, country, locale) gathered into `contact`.
 * JSONL rows may give `contact` (and `offsets`) as nested objects instead.
 */
function normalise(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === '' || value === null || value === undefined) continue;
    out[name] =
      typeof value === 'string' && numberFields.has(name) && /^-?\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : value;
  }
  if (out.contact === undefined) {
    const contact: Record<string, unknown> = {};
    for (const name of contactFields) {
      if (out[name] !== undefined) contact[name] = out[name];
    }
    out.contact = contact;
  }
  for (const name of contactFields) if (name !== 'locale') delete out[name];
  return out;
}

/** One problem per field is enough to fix a row; a malformed instant also fails its range check. */
function firstPerField<T extends { field: string }>(problems: T[]): T[] {
  const seen = new Set<string>();
  return problems.filter((problem) => !seen.has(problem.field) && seen.add(problem.field));
}

export type ParsedRow =
  | { kind: 'reminder'; request: z.output<typeof reminderRequestSchema> }
  | { kind: 'courtesy' | 'notice'; request: z.output<typeof courtesyRequestSchema> };

/** Validates one row for `kind` with the same zod schemas the client and the API use. */
export function parseRow(
  kind: ImportKind,
  fields: Record<string, unknown>,
  customerKeySecret: string,
): { ok: true; row: ParsedRow } | { ok: false; problems: { field: string; message: string }[] } {
  const input = normalise(fields);
  const problemsOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => ({
    ok: false as const,
    problems: firstPerField(
      issues.map((issue) => ({
        // Flat contact columns are reported by their column name.
        field:
          (issue.path[0] === 'contact' && issue.path.length > 1 ? issue.path.slice(1) : issue.path).join(
            '.',
          ) || '(row)',
        message: issue.message,
      })),
    ),
  });
  if (kind === 'reminder') {
    const parsed = reminderRequestSchema.safeParse(input);
    return parsed.success
      ? { ok: true, row: { kind, request: parsed.data } }
      : problemsOf(parsed.error.issues);
  }
  if (kind === 'notice') {
    // One row, one recipient; the id joins the notice with the keyed customer, so a re-run or a
    // customer listed twice reaches them once and no address shows in the workflow id.
    const contact = input.contact as { phone?: string; email?: string };
    const address =
      input.channel === 'email' ? (contact.email ?? contact.phone) : (contact.phone ?? contact.email);
    const noticeId = typeof input.noticeId === 'string' ? input.noticeId : undefined;
    if (noticeId === undefined) return { ok: false, problems: [{ field: 'noticeId', message: 'required' }] };
    if (address === undefined) {
      return { ok: false, problems: [{ field: 'phone', message: 'give phone or email' }] };
    }
    const { contact: recipient, ...rest } = input;
    delete rest.noticeId;
    const parsed = courtesyRequestSchema.safeParse({
      ...rest,
      type: 'notice',
      courtesyId: `${noticeId}.${customerKeyFor(address, customerKeySecret)}`,
      recipients: [recipient],
    });
    if (parsed.success) return { ok: true, row: { kind, request: parsed.data } };
    return problemsOf(
      parsed.error.issues.map((issue) => ({
        ...issue,
        path:
          issue.path[0] === 'recipients'
            ? issue.path.slice(2)
            : issue.path[0] === 'courtesyId'
              ? ['noticeId']
              : issue.path,
      })),
    );
  }
  const parsed = courtesyRequestSchema.safeParse(input);
  if (parsed.success && parsed.data.type === 'notice') {
    return { ok: false, problems: [{ field: 'type', message: 'use --kind notice for notices' }] };
  }
  return parsed.success ? { ok: true, row: { kind, request: parsed.data } } : problemsOf(parsed.error.issues);
}
