import { readFileSync } from 'node:fs';
import { abandonRulesSchema, defaultAbandonRules, type AbandonRules } from '../domain/callbacks';
import { describeIssues } from './contact-policy';

export class CallbackRulesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid callback rules ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CallbackRulesError';
  }
}

/**
 * The rules for abandoned calls (docs/callbacks.md) from CALLBACK_RULES_FILE, or the shipped defaults.
 * A bad file stops start-up with every wrong key named.
 */
export function loadCallbackRules(filePath?: string): AbandonRules {
  if (filePath === undefined || filePath.trim() === '') return defaultAbandonRules;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new CallbackRulesError(filePath, [`cannot read the file as JSON: ${(error as Error).message}`]);
  }
  const result = abandonRulesSchema.safeParse(value);
  if (!result.success) throw new CallbackRulesError(filePath, describeIssues(result.error.issues));
  return result.data;
}
