export { defaultMessageCatalog, messageCatalogSchema, requiredLocales } from './message-catalog';
export type { MessageCatalog, MessageTemplate } from './message-catalog';
export { renderTemplate, TemplateError, pickLocale, placeholdersOf } from './render-template';
export type { RenderedMessage } from './render-template';
export { buildCatalog, catalogProblems } from './validate-catalog';
