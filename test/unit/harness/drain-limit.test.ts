import { drainLimitMs } from '../../harness/drain';

describe('the soak waits for the backlog by the throughput it measured', () => {
  const base = {
    startedAt: 200_000,
    now: 260_000,
    lastDueAt: 120_000,
    factor: 2,
    minMs: 60_000,
    maxMs: 3_600_000,
  };

  it('waits the measuring window plus twice the time the measured throughput needs for what is open', () => {
    // 1,000 open at 5/s need 200 s: 60 s measured + 400 s.
    expect(drainLimitMs({ ...base, open: 1_000, measuredPerSecond: 5 })).toBe(460_000);
  });

  it('never ends before the minimum past the last due time', () => {
    // Almost everything done: the floor (last due + 60 s, from the start of the wait) rules.
    expect(drainLimitMs({ ...base, startedAt: 100_000, now: 101_000, open: 1, measuredPerSecond: 50 })).toBe(
      80_000,
    );
  });

  it('waits the maximum when nothing was done, and never longer', () => {
    expect(drainLimitMs({ ...base, open: 2_000, measuredPerSecond: 0 })).toBe(3_600_000);
    expect(drainLimitMs({ ...base, open: 1_990, measuredPerSecond: 0.01 })).toBe(3_600_000);
  });
});
