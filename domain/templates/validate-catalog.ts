import { type MessageCatalog, messageCatalogSchema, requiredLocales } from './message-catalog';
import { placeholdersOf } from './render-template';

/**
 * Problems that would put a blank or a wrong word in a customer's message, found at start-up:
 * a missing required locale, a placeholder the template does not declare, a declared variable
 * a locale forgets, a subject missing for an e-mail template's locale.
 */
export function catalogProblems(input: unknown): string[] {
  const parsed = messageCatalogSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }
  const problems: string[] = [];
  for (const [id, template] of Object.entries(parsed.data)) {
    for (const locale of requiredLocales) {
      if (template.text[locale] === undefined) problems.push(`${id}.text.${locale}: missing`);
      if (template.subject !== undefined && template.subject[locale] === undefined) {
        problems.push(`${id}.subject.${locale}: missing`);
      }
    }
    const texts = [
      ...Object.entries(template.text).map(([locale, text]) => [`text.${locale}`, text] as const),
      ...Object.entries(template.subject ?? {}).map(([locale, text]) => [`subject.${locale}`, text] as const),
    ];
    for (const [where, text] of texts) {
      for (const name of placeholdersOf(text)) {
        if (!template.variables.includes(name)) {
          problems.push(`${id}.${where}: uses {{${name}}}, which is not in variables`);
        }
      }
    }
    for (const [locale, text] of Object.entries(template.text)) {
      const used = new Set([...placeholdersOf(text), ...placeholdersOf(template.subject?.[locale] ?? '')]);
      for (const name of template.variables) {
        if (!used.has(name)) problems.push(`${id}.text.${locale}: never uses declared variable {{${name}}}`);
      }
    }
  }
  return problems;
}

/** Merges overrides into the defaults and validates the result; throws with every problem listed. */
export function buildCatalog(defaults: MessageCatalog, overrides: unknown = {}): MessageCatalog {
  const overrideProblems = catalogProblems(overrides);
  if (overrideProblems.length > 0) throw new Error(`TEMPLATES_FILE:\n  ${overrideProblems.join('\n  ')}`);
  const merged = { ...defaults, ...(overrides as MessageCatalog) };
  const problems = catalogProblems(merged);
  if (problems.length > 0) throw new Error(`message templates:\n  ${problems.join('\n  ')}`);
  return merged;
}
