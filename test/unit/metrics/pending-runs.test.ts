import { Registry } from 'prom-client';
import { registerPendingRuns } from '../../../metrics/pending-runs';

describe('recontact_pending_runs', () => {
  it('asks visibility for the open runs of each kind at each scrape, keeping the last count when one fails', async () => {
    const registry = new Registry();
    const counts: Record<string, number | Error> = { callback: 3, reminder: 2 };
    const queries: string[] = [];
    registerPendingRuns(registry, (query) => {
      queries.push(query);
      const kind = /Kind = "([a-z]+)"/.exec(query)?.[1] ?? '';
      const count = counts[kind] ?? 0;
      return count instanceof Error ? Promise.reject(count) : Promise.resolve(count);
    });
    registerPendingRuns(registry, () => Promise.resolve(99)); // a second registration changes nothing
    expect(await registry.metrics()).toContain('recontact_pending_runs{kind="callback"} 3');
    expect(queries).toContain('Kind = "callback" AND ExecutionStatus = "Running"');
    counts.callback = new Error('visibility is slow');
    const text = await registry.metrics();
    expect(text).toContain('recontact_pending_runs{kind="callback"} 3');
    expect(text).toContain('recontact_pending_runs{kind="reminder"} 2');
    expect(text).toContain('recontact_pending_runs{kind="notice"} 0');
  });
});
