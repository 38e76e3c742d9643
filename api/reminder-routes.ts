import { z } from 'zod';
import { outreachSummarySchema } from '../client/outreach-summary';
import {
  cancelRequestSchema,
  reminderListFilterSchema,
  reminderRequestSchema,
  rescheduleRequestSchema,
  type ReminderClient,
} from '../client/reminders';
import { appointmentIdSchema } from '../domain/reminders';
import type { ZodRoutes } from './agent-routes';
import { apiError, apiErrorSchema } from './errors';

const tags = ['reminders'];
const errorResponses = { 400: apiErrorSchema, 401: apiErrorSchema };
const paramsSchema = z.object({ appointmentId: appointmentIdSchema });
const startedSchema = z.object({ workflowId: z.string(), started: z.boolean() });
// The status is the workflow's own answer; described loosely here, documented in docs/reminders.md.
const statusSchema = z.looseObject({
  appointmentId: z.string(),
  appointmentAt: z.string(),
  state: z.string(),
});

function noSeries(appointmentId: string) {
  return apiError(404, 'reminder_not_found', `no running reminder series for appointment ${appointmentId}`);
}

/** Appointment reminders over HTTP: the booking system starts, moves, cancels and inspects series. */
export function registerReminderRoutes(v1: ZodRoutes, { reminders }: { reminders: ReminderClient }): void {
  v1.post(
    '/reminders',
    {
      schema: {
        summary: 'Start the reminder series of an appointment (idempotent per appointmentId)',
        tags,
        body: reminderRequestSchema,
        response: { 201: startedSchema, 200: startedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await reminders.start(request.body);
      return reply.code(result.started ? 201 : 200).send(result);
    },
  );

  v1.get(
    '/reminders',
    {
      schema: {
        summary: 'List reminder series, newest first',
        tags,
        querystring: reminderListFilterSchema,
        response: {
          200: z.object({
            reminders: z.array(outreachSummarySchema.extend({ appointmentId: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ reminders: await reminders.list(request.query) }),
  );

  v1.get(
    '/reminders/:appointmentId',
    {
      schema: {
        summary: "A series' plan, each reminder's fate and its timeline",
        tags,
        params: paramsSchema,
        response: { 200: statusSchema, 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const status = await reminders.status(request.params.appointmentId);
      return status === undefined
        ? reply.code(404).send(noSeries(request.params.appointmentId))
        : { ...status };
    },
  );

  v1.post(
    '/reminders/:appointmentId/reschedule',
    {
      schema: {
        summary: 'Move the appointment; the remaining reminders follow the new time',
        tags,
        params: paramsSchema,
        body: rescheduleRequestSchema,
        response: { 202: z.null(), 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await reminders.reschedule(request.params.appointmentId, request.body))) {
        return reply.code(404).send(noSeries(request.params.appointmentId));
      }
      return reply.code(202).send(null);
    },
  );

  v1.post(
    '/reminders/:appointmentId/cancel',
    {
      schema: {
        summary: 'Cancel the appointment: no more reminders',
        tags,
        params: paramsSchema,
        body: cancelRequestSchema.optional(),
        response: { 202: z.null(), 404: apiErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await reminders.cancel(request.params.appointmentId, request.body ?? {}))) {
        return reply.code(404).send(noSeries(request.params.appointmentId));
      }
      return reply.code(202).send(null);
    },
  );
}
