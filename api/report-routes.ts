import { z } from 'zod';
import { kpiQuerySchema, type KpiQuery, type KpiReport } from '../domain/kpi';
import type { ZodRoutes } from './agent-routes';
import { apiErrorSchema } from './errors';

/** The report's shape for the OpenAPI document; docs/kpi.md defines each figure. */
const kpiReportSchema = z.looseObject({
  period: z.looseObject({ from: z.string(), to: z.string(), timeZone: z.string() }),
  filters: z.looseObject({}),
  funnel: z.record(z.string(), z.unknown()),
  recovery: z.record(z.string(), z.unknown()),
  cost: z.looseObject({}),
  punctuality: z.looseObject({}),
  reminders: z.looseObject({}),
  rescues: z.looseObject({}),
  messages: z.record(z.string(), z.unknown()),
  unsupported: z.array(z.object({ figure: z.string(), why: z.string() })),
});

/** `GET /v1/reports/kpi`: the same figures as `recontact report`, as JSON. */
export function registerReportRoutes(
  v1: ZodRoutes,
  deps: { kpiReport: (query: KpiQuery) => Promise<KpiReport> },
): void {
  v1.get(
    '/reports/kpi',
    {
      schema: {
        summary:
          "KPIs of a period of the centre's calendar: callback funnel, recovery and cost, punctuality, agents, surveys, reminders, messages",
        description:
          'from (inclusive) and to (exclusive) are days YYYY-MM-DD in the centre’s time zone; docs/kpi.md ' +
          'defines every figure and lists those the recorded data cannot support yet.',
        tags: ['reports'],
        querystring: kpiQuerySchema,
        response: { 200: kpiReportSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    // Spread: the interface becomes a plain object type the loose response schema accepts.
    async (request) => ({ ...(await deps.kpiReport(request.query)) }),
  );
}
