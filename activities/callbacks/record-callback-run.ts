import { summariseCallbackRun, type CallbackRunFacts } from '../../domain/kpi';
import type { ContactStore } from '../../store';

/** A finished callback run's row for the KPIs (store table `callback_runs`); idempotent per run. */
export function createRecordCallbackRun(deps: { store: Pick<ContactStore, 'recordCallbackRun'> }) {
  return async function recordCallbackRun(facts: CallbackRunFacts): Promise<boolean> {
    return deps.store.recordCallbackRun(summariseCallbackRun(facts));
  };
}
