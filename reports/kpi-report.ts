import {
  computeKpis,
  kpiPeriod,
  kpiQuerySchema,
  type KpiQuery,
  type KpiReport,
  type KpiSettings,
} from '../domain/kpi';
import type { ContactStore } from '../store';

/** The KPI report of a period, as the CLI and the API give it: the store's rows, computed. */
export function createKpiReport(deps: { store: Pick<ContactStore, 'kpiSource'>; settings: KpiSettings }) {
  return async function kpiReport(input: KpiQuery): Promise<KpiReport> {
    const query = kpiQuerySchema.parse(input);
    const period = kpiPeriod(query.from, query.to, deps.settings.timeZone);
    const source = await deps.store.kpiSource(
      period.fromMs,
      period.toMs,
      deps.settings.recontactDays * 86_400_000,
    );
    return computeKpis(source, query, deps.settings, period);
  };
}
