import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { contactPolicySchema, type ContactPolicy } from '../domain/policy';
import defaultRules from './contact-policy.default.json';

/** Where the shipped rules live; `CONTACT_POLICY_FILE` points at a deployment's own copy instead. */
export const DEFAULT_CONTACT_POLICY_FILE = 'config/contact-policy.default.json';

/** A rules file that cannot be used: every wrong key is named in the one message. */
export class ContactPolicyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid contact policy ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ContactPolicyError';
  }
}

/** `countries.ES.windows[0].start` */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(top level)' : text;
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(`${formatPath([...issue.path, key])}: unknown key`);
    } else if (issue.code === 'invalid_key') {
      // A bad record key (`countries.es`): say what is wrong with the key itself.
      const why = issue.issues.map((inner) => inner.message).join('; ');
      problems.push(`${formatPath(issue.path)}: ${why || issue.message}`);
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      problems.push(`${formatPath(issue.path)}: missing (expected ${issue.expected})`);
    } else {
      problems.push(`${formatPath(issue.path)}: ${issue.message.replace(/^Invalid input: /, '')}`);
    }
  }
  return problems;
}

/**
 * Validate rules already parsed from JSON (or built in code).
 * @throws {ContactPolicyError} naming every wrong key
 */
export function parseContactPolicy(value: unknown, source = 'rules'): ContactPolicy {
  const result = contactPolicySchema.safeParse(value);
  if (!result.success) throw new ContactPolicyError(source, describeIssues(result.error.issues));
  return result.data;
}

/**
 * Load and validate the contact policy rules: calling windows, holidays, centre hours, frequency caps,
 * retry ladders and priority weights. Fails start-up with one error that names every wrong key.
 *
 * @param filePath a JSON rules file (e.g. from `CONTACT_POLICY_FILE`); omitted: the shipped defaults
 * @example
 * const policy = loadContactPolicy(process.env.CONTACT_POLICY_FILE);
 */
export function loadContactPolicy(filePath?: string): ContactPolicy {
  if (filePath === undefined || filePath.trim() === '')
    return parseContactPolicy(defaultRules, DEFAULT_CONTACT_POLICY_FILE);
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new ContactPolicyError(filePath, [`cannot read the file: ${(error as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ContactPolicyError(filePath, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseContactPolicy(value, filePath);
}
