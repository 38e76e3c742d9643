import { z } from 'zod';
import { kpiQuerySchema, type KpiQuery, type KpiReport } from '../../domain/kpi';
import type { ContactStore } from '../../store';
import type { ZodRoutes } from '../agent-routes';
import { deskAuth, deskErrorResponses } from './desk-auth';

/** The supervisor's KPI page reads the same report as `GET /v1/reports/kpi`, with a desk token. */
export function registerDeskKpiRoutes(
  routes: ZodRoutes,
  deps: { store: ContactStore; kpiReport: (query: KpiQuery) => Promise<KpiReport> },
): void {
  routes.get(
    '/supervisor/kpi',
    {
      onRequest: deskAuth(deps.store, ['supervisor']),
      schema: {
        summary: 'The KPI report of a period (docs/kpi.md), for the KPI page',
        tags: ['agent desk'],
        querystring: kpiQuerySchema,
        response: { 200: z.unknown(), ...deskErrorResponses },
      },
    },
    async (request) => deps.kpiReport(request.query),
  );
}
