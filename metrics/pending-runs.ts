import { Gauge, type Registry } from 'prom-client';

/** The `Kind` search attribute of every outreach (workflows/search-attributes.ts). */
export const OUTREACH_KINDS = ['callback', 'reminder', 'rescue', 'courtesy', 'notice'] as const;

export const PENDING_RUNS_METRIC = 'recontact_pending_runs';

/**
 * `recontact_pending_runs{kind}`: runs of each kind still open, counted by Temporal's visibility at
 * each scrape (one count query per kind). A kind whose count fails keeps its last value for the
 * scrape: a slow visibility store must not fail `/metrics`. Registered once per registry.
 */
export function registerPendingRuns(registry: Registry, count: (query: string) => Promise<number>): void {
  if (registry.getSingleMetric(PENDING_RUNS_METRIC) !== undefined) return;
  new Gauge({
    name: PENDING_RUNS_METRIC,
    help: 'Outreach runs still open, by kind (Temporal visibility, counted at each scrape)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      await Promise.all(
        OUTREACH_KINDS.map(async (kind) => {
          try {
            this.set({ kind }, await count(`Kind = "${kind}" AND ExecutionStatus = "Running"`));
          } catch {
            // Kept from the last scrape (0 before the first count that worked).
          }
        }),
      );
    },
  });
}
