import { drainLimitMs } from '../../harness/drain';

describe('the soak waits for the backlog by the throughput it measured', () => {
  const base = {
    total: 2_000,
    firstDueAt: 0,
    lastDueAt: 120_000,
    factor: 2,
    minMs: 60_000,
    maxMs: 3_600_000,
  };

  it('waits twice the time the measured throughput needs for what is open', () => {
    // 1,000 done in 200 s: 5/s; 1,000 open need 200 s, the wait is 400 s.
    const { limitMs, measuredPerSecond } = drainLimitMs({ ...base, open: 1_000, now: 200_000 });
    expect(measuredPerSecond).toBe(5);
    expect(limitMs).toBe(400_000);
  });

  it('never ends before the minimum past the last due time', () => {
    // Almost everything done: the estimate is tiny, the floor (last due + 60 s) rules.
    expect(drainLimitMs({ ...base, open: 1, now: 100_000 }).limitMs).toBe(80_000);
  });

  it('waits the maximum when nothing is done yet, and never longer', () => {
    expect(drainLimitMs({ ...base, open: 2_000, now: 130_000 }).limitMs).toBe(3_600_000);
    expect(drainLimitMs({ ...base, open: 1_990, now: 1_000_000 }).limitMs).toBe(3_600_000);
  });
});
