import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { metricFamilies } from '../../../metrics/dashboard-metric-names';
import { createDomainMetrics } from '../../../metrics/domain-metrics';
import { registerPendingRuns } from '../../../metrics/pending-runs';
import { projectRoot } from '../../../runtime/project-paths';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(path.join(projectRoot(), 'docs', 'grafana', 'recontact-dashboard.json'), 'utf8'),
) as { panels: Panel[] };

describe('the Grafana dashboard in docs/', () => {
  it('reads only recontact_ metrics that the API and workers register', () => {
    const registry = new Registry();
    createDomainMetrics(registry);
    registerPendingRuns(registry, () => Promise.resolve(0));
    const registered = new Set(registry.getMetricsAsArray().map((metric) => metric.name));
    const used = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) => metricFamilies(target.expr)),
    );
    const ours = used.filter((name) => name.startsWith('recontact_'));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('gives every chart a query and a title', () => {
    for (const panel of dashboard.panels.filter((candidate) => candidate.type !== 'row')) {
      expect(panel.title).not.toBe('');
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
  });

  it('names the families a query reads, without series suffixes', () => {
    expect(
      metricFamilies(
        'histogram_quantile(0.9, sum by (le) (rate(recontact_offer_latency_seconds_bucket[5m]))) / sum(temporal_request)',
      ),
    ).toEqual(['recontact_offer_latency_seconds', 'temporal_request']);
  });
});
