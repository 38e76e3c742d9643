import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from './run-command';

/**
 * One fix applied to the time-skipping test server when it is provisioned, until a release
 * carries it: temporalio/sdk-java#2606 (fix proposed upstream in sdk-java#3060).
 *
 * A timer can fire while a workflow task is running. The server then holds its TIMER_FIRED
 * event back until the task completes. If that task's commands cancel the same timer (a
 * `condition(…, timeout)` that a signal or update satisfied), the real Temporal server drops the
 * held-back TIMER_FIRED and records TIMER_CANCELED. The test server instead refuses the whole
 * completion ("invalid history builder state for action"): the workflow is stuck from then on,
 * and the task's time-skipping lock is never given back, so every later `env.sleep` runs at the
 * speed of real time. In Recontact's multi-day simulation this happened about once a run.
 *
 * The patch makes `processCancelTimer` do what the real server does. A task that cancels the
 * timer and also completes or continues the run is still failed as UnhandledCommand, as before:
 * the SDK retries it with the fired timer in its history, and the server gives its lock back.
 * It is applied to the server's own source (the `-sources` jar of the same version), compiled
 * against its jars, and put ahead of them on the class path.
 */
const PATCHED_CLASS = 'io/temporal/internal/testservice/TestWorkflowMutableStateImpl';

/** Each change: the upstream text it replaces (exactly) and the text put in its place. */
const CHANGES: Array<{ upstream: string; patched: string }> = [
  // A CancelTimer for a timer whose TIMER_FIRED is held back replaces that event.
  {
    upstream: `    StateMachine<TimerData> timer = timers.get(timerId);
    if (timer == null) {
      throw Status.INVALID_ARGUMENT
          .withDescription("invalid history builder state for action")
          .asRuntimeException();
    }
    timer.action(StateMachines.Action.CANCEL, ctx, d, workflowTaskCompletedId);
    timers.remove(timerId);
  }
`,
    patched: `    StateMachine<TimerData> timer = timers.get(timerId);
    if (timer == null) {
      // Recontact patch (sdk-java#2606): the timer fired during this workflow task.
      cancelHeldBackTimerFired(ctx, timerId, workflowTaskCompletedId);
      return;
    }
    timer.action(StateMachines.Action.CANCEL, ctx, d, workflowTaskCompletedId);
    timers.remove(timerId);
  }

  /** Drops the held-back TIMER_FIRED of \`timerId\` and records TIMER_CANCELED, as the real server does. */
  private void cancelHeldBackTimerFired(
      RequestContext ctx, String timerId, long workflowTaskCompletedId) {
    for (RequestContext heldBack : workflowTaskStateMachine.getData().bufferedEvents) {
      Iterator<HistoryEvent> events = heldBack.getEvents().iterator();
      while (events.hasNext()) {
        HistoryEvent event = events.next();
        if (event.getEventType() != EventType.EVENT_TYPE_TIMER_FIRED
            || !event.getTimerFiredEventAttributes().getTimerId().equals(timerId)) {
          continue;
        }
        events.remove();
        ctx.addEvent(
            HistoryEvent.newBuilder()
                .setEventType(EventType.EVENT_TYPE_TIMER_CANCELED)
                .setTimerCanceledEventAttributes(
                    TimerCanceledEventAttributes.newBuilder()
                        .setWorkflowTaskCompletedEventId(workflowTaskCompletedId)
                        .setTimerId(timerId)
                        .setStartedEventId(
                            event.getTimerFiredEventAttributes().getStartedEventId()))
                .build());
        return;
      }
    }
    throw Status.INVALID_ARGUMENT
        .withDescription("invalid history builder state for action")
        .asRuntimeException();
  }
`,
  },
];

/**
 * Fetches the server's sources, patches the one class and compiles it into `<dir>/patch`, the
 * class-path entry the wrapper puts first. Fails loudly if the source no longer has the refusal
 * (a new server version: check whether it carries the fix, then drop or rebase this patch).
 */
export async function patchTestServer(dir: string, lib: string, version: string): Promise<void> {
  const sources = path.join(dir, 'sources');
  const classes = path.join(dir, 'patch');
  rmSync(sources, { recursive: true, force: true });
  rmSync(classes, { recursive: true, force: true });
  mkdirSync(sources, { recursive: true });
  mkdirSync(classes, { recursive: true });
  await runCommand('mvn', [
    '-B',
    '-q',
    'dependency:copy',
    `-Dartifact=io.temporal:temporal-test-server:${version}:jar:sources`,
    `-DoutputDirectory=${sources}`,
  ]);
  const jar = path.join(sources, `temporal-test-server-${version}-sources.jar`);
  const file = `${PATCHED_CLASS}.java`;
  await runCommand('jar', ['xf', jar, file], { cwd: sources });
  const source = path.join(sources, file);
  let text = readFileSync(source, 'utf8');
  for (const { upstream, patched } of CHANGES) {
    if (!text.includes(upstream)) {
      throw new Error(
        `the test server ${version} source no longer has the code this project patches (sdk-java#2606): ` +
          `check whether the release fixes it, then update runtime/test-server-patch.ts`,
      );
    }
    text = text.replace(upstream, patched);
  }
  writeFileSync(source, text);
  await runCommand('javac', ['-nowarn', '-encoding', 'UTF-8', '-d', classes, '-cp', `${lib}/*`, source]);
  rmSync(sources, { recursive: true, force: true });
}
