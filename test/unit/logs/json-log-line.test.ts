import { jsonLogLine } from '../../../worker/json-log-line';

describe('a worker log line', () => {
  it('is one JSON line naming the run, with an activity’s workflowRunId as runId and no task token', () => {
    const line = jsonLogLine({
      level: 'DEBUG',
      message: 'Activity completed',
      timestampNanos: 1_772_438_400_123_000_000n,
      meta: { workflowId: 'callback-x', workflowRunId: 'run-1', taskToken: 'c2VjcmV0', attempt: 1, size: 5n },
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2026-03-02T08:00:00.123Z',
      level: 'debug',
      msg: 'Activity completed',
      workflowId: 'callback-x',
      workflowRunId: 'run-1',
      runId: 'run-1',
      attempt: 1,
      size: '5',
    });
  });
});
