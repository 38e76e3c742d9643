import type { z } from 'zod';

/** One broken rule of a request: the field and the rule, as the HTTP API reports them. */
export interface RequestProblem {
  field: string;
  rule: string;
  message: string;
}

/**
 * A request the client refuses before anything is started or signalled (an appointment in the
 * past, a customer without any address). The HTTP API turns it into a 400 naming field and rule.
 */
export class InvalidRequestError extends Error {
  constructor(readonly problems: RequestProblem[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
    this.name = 'InvalidRequestError';
  }
}

/** Problems of a zod parse, with the path as the field and the issue code as the rule. */
export function zodProblems(
  issues: readonly { path: readonly PropertyKey[]; code: string; message: string }[],
  prefix = '',
): RequestProblem[] {
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.') || prefix || '(input)',
    rule: issue.code,
    message: issue.message,
  }));
}

/** Parses a client call's input, or throws an InvalidRequestError naming every wrong field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidRequestError(zodProblems(result.error.issues));
}
