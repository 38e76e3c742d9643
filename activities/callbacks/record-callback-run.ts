import { summariseCallbackRun, type CallbackRunFacts } from '../../domain/kpi';
import type { DomainMetrics } from '../../metrics/domain-metrics';
import type { ContactStore } from '../../store';

/** A finished callback run's row for the KPIs (store table `callback_runs`); idempotent per run. */
export function createRecordCallbackRun(deps: {
  store: Pick<ContactStore, 'recordCallbackRun'>;
  metrics?: DomainMetrics;
}) {
  return async function recordCallbackRun(facts: CallbackRunFacts): Promise<boolean> {
    const run = summariseCallbackRun(facts);
    const created = await deps.store.recordCallbackRun(run);
    // Counted once per run: a retried activity finds the row and counts nothing.
    if (created && deps.metrics !== undefined) {
      deps.metrics.callbacks.inc({ outcome: run.outcome, origin: run.origin });
      if (run.conversationAtMs !== null && run.origin === 'abandon') {
        deps.metrics.abandonToConversation.observe((run.conversationAtMs - run.requestedAtMs) / 60_000);
      }
    }
    return created;
  };
}
