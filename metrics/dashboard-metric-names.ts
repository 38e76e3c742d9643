/** A histogram's or counter's series names end in these; the family is the name without them. */
const SERIES_SUFFIXES = ['_bucket', '_count', '_sum'];

/**
 * The metric families a PromQL expression reads (`recontact_*` and the SDK's `temporal_*`), so a test
 * can check a dashboard against the metrics that exist.
 *
 * @example
 * metricFamilies('histogram_quantile(0.9, sum by (le) (rate(recontact_offer_latency_seconds_bucket[5m])))')
 * // ['recontact_offer_latency_seconds']
 */
export function metricFamilies(expr: string): string[] {
  const names = expr.match(/\b(?:recontact|temporal)_[a-z0-9_]+/g) ?? [];
  return [
    ...new Set(
      names.map((name) => {
        const suffix = SERIES_SUFFIXES.find((candidate) => name.endsWith(candidate));
        return suffix === undefined ? name : name.slice(0, -suffix.length);
      }),
    ),
  ];
}
