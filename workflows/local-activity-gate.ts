/**
 * Local activities of one run, one section at a time.
 *
 * A local activity's result reaches the workflow when the worker has it, and its marker is recorded
 * where it arrived among the commands of that workflow task. Two branches of one run that each wait
 * on a local activity (the callback's acknowledgement beside its wait for an agent, a desk write not
 * awaited) therefore interleave their next commands by timing. A replay resolves recorded markers
 * at once, so the branches can resume in another order and issue their commands in another order:
 * the soak of 30 Nov 2026 (200 callbacks, workers SIGKILLed) left 3 runs failing every workflow task
 * with "[TMPRL1100] Nondeterminism error: Activity machine does not handle this event:
 * UpsertWorkflowSearchAttributes", for good, once their worker was killed.
 *
 * With the gate, a local activity starts only once the one before it has ended, so at most one is
 * outstanding and each result resumes the one branch that waits for it, in the same place on replay.
 * A section may still run several local activities in parallel (through the ungated proxy) when it
 * waits for all of them before it issues anything else (the claim's hold, plan and window check).
 */
export class LocalActivityGate {
  private tail: Promise<unknown> = Promise.resolve();

  /** `enabled` false: every section runs at once, as runs recorded before the gate did. */
  constructor(private readonly enabled: boolean) {}

  /** Runs `section` once every section asked for before it has ended (failed ones included). */
  run<T>(section: () => Promise<T>): Promise<T> {
    if (!this.enabled) return section();
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** `activities` with each call run as a section of its own. */
  gated<T extends object>(activities: T): T {
    return new Proxy(activities, {
      get: (target, name) => {
        const member: unknown = Reflect.get(target, name);
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) =>
          this.run(() => Reflect.apply(member, target, args) as Promise<unknown>);
      },
    });
  }
}
