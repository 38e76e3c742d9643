import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  REMINDER_LINK_ACTIONS,
  verifyReminderLink,
  type ReminderLinkAction,
} from '../activities/reminders/reminder-links';
import type { ReminderClient } from '../client/reminders';
import { appointmentIdSchema } from '../domain/reminders';
import { apiError } from './errors';
import { acceptTwilioForms } from './twilio-signature';

export interface ReminderLinkDeps {
  reminders: ReminderClient;
  /** The secret the workers sign links with (the customer-key secret). */
  secret: string;
}

const paramsSchema = z.object({ appointmentId: appointmentIdSchema, action: z.enum(REMINDER_LINK_ACTIONS) });
const querySchema = z.object({ at: z.coerce.number().int().positive(), sig: z.string().min(1).max(64) });

const labels: Record<ReminderLinkAction, { ask: string; done: string }> = {
  confirm: { ask: 'Confirm the appointment', done: 'Thank you: your appointment is confirmed.' },
  cancel: { ask: 'Cancel the appointment', done: 'Your appointment is cancelled.' },
  reschedule: { ask: 'Ask for another time', done: 'Thank you: we will call you to agree a new time.' },
};

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

/**
 * The links in reminder e-mails, outside /v1 (customers have no bearer token; the signature is the
 * authorisation). GET only shows a button: mail scanners follow links, and a prefetch must not
 * confirm or cancel anything. The POST behind the button verifies the signature and signals the
 * series; a link for an earlier appointment time is ignored by the workflow.
 */
export function registerReminderLinkRoutes(app: FastifyInstance, deps: ReminderLinkDeps): void {
  const check = (params: unknown, query: unknown) => {
    const p = paramsSchema.safeParse(params);
    const q = querySchema.safeParse(query);
    if (!p.success || !q.success) return undefined;
    const { appointmentId, action } = p.data;
    if (!verifyReminderLink(deps.secret, appointmentId, action, q.data.at, q.data.sig)) return undefined;
    return { appointmentId, action, atMs: q.data.at };
  };
  const forbidden = apiError(403, 'invalid_link', 'this link is not valid');
  // The button's POST is an (empty) HTML form; the Twilio webhooks may already accept forms.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) acceptTwilioForms(app);

  app.get('/links/reminders/:appointmentId/:action', { schema: { hide: true } }, async (request, reply) => {
    const link = check(request.params, request.query);
    if (link === undefined) return reply.code(403).send(forbidden);
    const label = labels[link.action];
    return reply
      .type('text/html')
      .send(page(label.ask, `<form method="post"><button type="submit">${label.ask}</button></form>`));
  });

  app.post('/links/reminders/:appointmentId/:action', { schema: { hide: true } }, async (request, reply) => {
    const link = check(request.params, request.query);
    if (link === undefined) return reply.code(403).send(forbidden);
    const delivered = await deps.reminders.respond(link.appointmentId, {
      action: link.action,
      via: 'link',
      forAtMs: link.atMs,
    });
    if (!delivered) {
      return reply
        .code(410)
        .type('text/html')
        .send(page('Too late', '<p>This appointment has already passed or changed.</p>'));
    }
    return reply.type('text/html').send(page(labels[link.action].done, ''));
  });
}
