import { ConfigError, loadConfig } from '../../../config/config';
import { workflowHeapMb } from '../../../worker/create-worker';

describe('the workflow thread heap limit', () => {
  it('leaves room for the bundle and the cached runs: 64 MB plus 1 MB per cached run by default', () => {
    expect(loadConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBe(50);
    expect(workflowHeapMb(loadConfig({}))).toBe(114);
    expect(workflowHeapMb(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '200' }))).toBe(264);
  });

  it('takes WORKER_WORKFLOW_HEAP_MB as given, 0 leaving V8 its own default', () => {
    expect(workflowHeapMb(loadConfig({ WORKER_WORKFLOW_HEAP_MB: '512' }))).toBe(512);
    expect(workflowHeapMb(loadConfig({ WORKER_WORKFLOW_HEAP_MB: '0' }))).toBe(0);
  });

  it('names the variable for a negative or fractional limit', () => {
    for (const value of ['-1', '1.5', 'lots']) {
      try {
        loadConfig({ WORKER_WORKFLOW_HEAP_MB: value });
        throw new Error(`accepted ${value}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems[0]).toMatch(/^WORKER_WORKFLOW_HEAP_MB=/);
      }
    }
  });
});
