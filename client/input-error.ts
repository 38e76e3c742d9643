import type { z } from 'zod';

/** One wrong field of a client call: what the API answers as a 400 problem. */
export interface InputProblem {
  field: string;
  rule: string;
  message: string;
}

/** A client call with bad input: nothing was started or changed. The API answers it as a 400. */
export class InputError extends Error {
  constructor(readonly problems: readonly InputProblem[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
    this.name = 'InputError';
  }
}

/** Parses a client call's input, or throws an InputError naming every wrong field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(input)',
      rule: issue.code,
      message: issue.message,
    })),
  );
}
