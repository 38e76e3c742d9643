import type { MessageCatalog, MessageTemplate } from './message-catalog';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const placeholder = /\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g;

/** The variables a text uses, in order of first use. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(placeholder)].map((match) => match[1] as string))];
}

/** `es-MX` → `es-MX`, then `es`, then `en`: the first locale the template has. */
export function pickLocale(texts: Record<string, string>, locale: string): string {
  const candidates = [locale, locale.split('-')[0] ?? locale, 'en'];
  const found = candidates.find((candidate) => texts[candidate] !== undefined);
  if (found === undefined) throw new TemplateError(`no text for locale ${locale} or en`);
  return found;
}

export interface RenderedMessage {
  locale: string;
  subject?: string;
  text: string;
}

/**
 * Renders template `id` in `locale`. A missing variable is an error, never a blank in a
 * customer's message; values are inserted as given (SMS and e-mail text are plain text).
 */
export function renderTemplate(
  catalog: MessageCatalog,
  id: string,
  locale: string,
  variables: Readonly<Record<string, string>>,
): RenderedMessage {
  const template: MessageTemplate | undefined = catalog[id];
  if (template === undefined) throw new TemplateError(`unknown template ${id}`);
  const missing = template.variables.filter((name) => variables[name] === undefined);
  if (missing.length > 0)
    throw new TemplateError(`template ${id}: missing variable(s) ${missing.join(', ')}`);
  const chosen = pickLocale(template.text, locale);
  const fill = (text: string): string =>
    text.replace(placeholder, (_all, name: string) => variables[name] ?? '');
  const subject = template.subject?.[chosen];
  return {
    locale: chosen,
    ...(subject !== undefined ? { subject: fill(subject) } : {}),
    text: fill(template.text[chosen] as string),
  };
}
