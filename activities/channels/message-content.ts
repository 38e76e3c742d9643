import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { ChannelFailure } from '../../domain/channel-failures';
import {
  type MessageCatalog,
  type RenderedMessage,
  renderTemplate,
  TemplateError,
} from '../../domain/templates';

/** What to say: a template with its variables (rendered in the worker with the deployment's catalog). */
export const messageContentSchema = z.object({
  template: z.string().min(1),
  locale: z.string().min(2).default('en'),
  variables: z.record(z.string(), z.string()).default({}),
});
export type MessageContent = z.output<typeof messageContentSchema>;

export type RenderMessage = (content: MessageContent) => RenderedMessage;

/**
 * Renders with the catalog validated at start-up; a missing variable fails the attempt without
 * sending. `defaults` fill variables every message may use (`company`); the content's own win.
 */
export function createRenderMessage(
  catalog: MessageCatalog,
  defaults: Readonly<Record<string, string>> = {},
): RenderMessage {
  return (content) => {
    try {
      return renderTemplate(catalog, content.template, content.locale, { ...defaults, ...content.variables });
    } catch (error) {
      if (error instanceof TemplateError)
        throw ApplicationFailure.nonRetryable(error.message, ChannelFailure.InvalidContent);
      throw error;
    }
  };
}
