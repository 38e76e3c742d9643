import { LocalActivityGate } from '../../../workflows/local-activity-gate';

/** A promise its test settles by hand: a local activity whose answer has not come yet. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('LocalActivityGate (one local activity of a run at a time)', () => {
  it('starts a call only once the one asked before it has answered, in the order they were asked', async () => {
    const gate = new LocalActivityGate(true);
    const answers = new Map<string, ReturnType<typeof pending<string>>>();
    const started: string[] = [];
    const activities = gate.gated({
      decide(name: string): Promise<string> {
        started.push(name);
        const answer = pending<string>();
        answers.set(name, answer);
        return answer.promise;
      },
    });
    const results = [activities.decide('ack'), activities.decide('window'), activities.decide('desk')];
    await flush();
    expect(started).toEqual(['ack']);
    answers.get('ack')?.resolve('ack done');
    await flush();
    expect(started).toEqual(['ack', 'window']);
    answers.get('window')?.reject(new Error('policy unavailable'));
    await flush();
    // A failed call does not hold the gate shut.
    expect(started).toEqual(['ack', 'window', 'desk']);
    answers.get('desk')?.resolve('desk done');
    await expect(results[0]).resolves.toBe('ack done');
    await expect(results[1]).rejects.toThrow('policy unavailable');
    await expect(results[2]).resolves.toBe('desk done');
  });

  it('runs a section of parallel calls as one: the next call waits for all of them', async () => {
    const gate = new LocalActivityGate(true);
    const hold = pending<string>();
    const plan = pending<string>();
    const started: string[] = [];
    const section = gate.run(() => {
      started.push('hold', 'plan');
      return Promise.all([hold.promise, plan.promise]);
    });
    const after = gate.run(async () => {
      started.push('after');
      return 'after';
    });
    await flush();
    expect(started).toEqual(['hold', 'plan']);
    hold.resolve('held');
    await flush();
    expect(started).toEqual(['hold', 'plan']);
    plan.resolve('planned');
    await expect(section).resolves.toEqual(['held', 'planned']);
    await expect(after).resolves.toBe('after');
    expect(started).toEqual(['hold', 'plan', 'after']);
  });

  it('lets every call through at once when it is off (runs recorded before the gate)', async () => {
    const gate = new LocalActivityGate(false);
    const started: string[] = [];
    const activities = gate.gated({
      decide(name: string): Promise<string> {
        started.push(name);
        return new Promise<string>(() => undefined);
      },
    });
    void activities.decide('ack');
    void activities.decide('window');
    expect(started).toEqual(['ack', 'window']);
  });
});
