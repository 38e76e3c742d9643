import { condition } from '@temporalio/workflow';
import { nonRetryableChannelFailures } from '../../domain/channel-failures';
import { activityFailure } from '../activity-failure';
import { isHeld } from '../held-send';
import type { LocalDecisions } from '../activity-proxies';
import type { CallbackRun, LaterAt } from './callback-run';

/** A provider that cannot place the call (an outage, a misconfiguration): the callback waits this long and tries again. */
export const PROVIDER_PARK_MS = 10 * 60_000;
/** "LATER" without a time: call again after this long. */
export const LATER_DEFAULT_MS = 2 * 3_600_000;

/** Activities are asked about the workflow's "now", not their own clock: replay- and time-skipping-safe. */
export const workflowNow = (): string => new Date().toISOString();

/**
 * May the customer be called now (calling window in their zone, centre hours, caps, opt-outs)?
 * `local`: the ungated proxy inside a gate section (`run.gate.run`).
 */
export const askWindow = (run: CallbackRun, local: Pick<LocalDecisions, 'decideContact'> = run.local) =>
  local.decideContact({
    now: workflowNow(),
    contact: run.contact,
    channel: 'voice',
    purpose: 'callback',
    outreachId: run.workflowId,
  });

/** The customer's own call, when this callback answers one (an abandon). */
export const callerContactAt = (run: CallbackRun): string | undefined =>
  run.request.origin === 'abandon' ? run.request.requestedAt : undefined;

/**
 * May an SMS replying to the customer's own call go now? An abandon names when the customer called,
 * so the policy may let a prompt reply go at any hour; a late one waits for the window.
 */
export const askReply = (run: CallbackRun) =>
  run.local.decideContact({
    now: workflowNow(),
    contact: run.contact,
    channel: 'sms',
    purpose: 'callback',
    category: 'service',
    outreachId: run.workflowId,
    ...(callerContactAt(run) !== undefined ? { customerContactAt: callerContactAt(run) } : {}),
  });

/** Takes the callback out of the agent queue (and frees an offered or claimed agent). */
export async function leaveQueue(run: CallbackRun): Promise<void> {
  if (!run.inQueue && run.claim === undefined && run.offer === undefined) return;
  run.inQueue = false;
  run.requeue = false;
  run.offer = undefined;
  await run.queue.leaveAgentQueue({ workflowId: run.workflowId });
}

/** Sleeps `ms` unless the callback is stopped or changed first. */
export async function sleepUnlessChanged(run: CallbackRun, ms: number): Promise<void> {
  if (ms > 0) await condition(() => run.stop !== undefined || run.changed, ms);
}

/** The callback's priority now: the policy's score plus the points people added. */
export async function rescore(run: CallbackRun): Promise<void> {
  const { request } = run;
  const scored = await run.local.scorePriority({
    now: workflowNow(),
    kind: request.origin === 'rescue' ? 'rescue' : 'callback',
    ...(request.tier !== undefined ? { tier: request.tier } : {}),
    originalAbandonAt: request.requestedAt,
    abandonCount: request.abandonCount,
  });
  run.priority = scored.score + request.priorityPoints;
}

/** The agent's phone failed: out of rotation (supervisors see why), and the next agent is asked. */
export async function agentPhoneFailed(run: CallbackRun, agentId: string, reason: string): Promise<void> {
  await run.queue.takeAgentOutOfRotation({ agentId, reason });
  await leaveQueue(run);
  run.declined.add(agentId);
  run.claim = undefined;
  run.note(
    'agent-phone-failed',
    `Agent ${agentId}'s phone could not be called (${reason}); the next agent is asked.`,
  );
}

/**
 * Sends one SMS of this callback; false when it could not go. `customerContactAt`: it answers the
 * customer's own contact at that instant (their call, their SMS), which the policy's reply rule may
 * let go at any hour.
 */
export async function sendText(
  run: CallbackRun,
  template: string,
  variables: Record<string, string>,
  attemptKey: string,
  customerContactAt?: string,
): Promise<boolean> {
  const { request, expiresAtMs } = run;
  if (request.phone === undefined) return false;
  try {
    const sent = await run.sms.sendSms({
      attemptKey,
      workflowId: run.workflowId,
      to: request.phone,
      customerKey: request.customerKey,
      purpose: 'callback',
      category: 'service',
      content: { template, locale: run.locale, variables },
      ...(expiresAtMs !== undefined
        ? { expectReplyForMinutes: Math.max(1, Math.ceil((expiresAtMs - Date.now()) / 60_000)) }
        : {}),
      // Asked again right before the provider call: the SMS may have waited for its pacing slot.
      check: {
        contact: run.contact,
        ...(customerContactAt !== undefined ? { customerContactAt } : {}),
        ...(expiresAtMs !== undefined ? { notAfter: new Date(expiresAtMs).toISOString() } : {}),
      },
    });
    if (isHeld(sent)) {
      run.note('sms-held', `The SMS was not sent (${sent.verdict}): ${sent.message}`);
      return false;
    }
    return true;
  } catch (error) {
    const failure = activityFailure(error);
    // An SMS that cannot go (bad number for SMS, STOP on SMS) does not stop the callback itself.
    if (
      failure?.type !== undefined &&
      (nonRetryableChannelFailures as readonly string[]).includes(failure.type)
    ) {
      run.note('sms-refused', `The SMS could not be sent: ${failure.type}.`);
      return false;
    }
    // Nor does a provider that stayed down through every retry: the call is what was promised.
    if (run.patches.life && failure !== undefined) {
      run.note(
        'sms-failed',
        'The SMS could not be sent: the provider did not accept it through every retry.',
      );
      return false;
    }
    throw error;
  }
}

/** The customer's "LATER …" as the callback's new earliest time (the old reading: the centre's zone). */
export async function applyLater(run: CallbackRun, wanted: LaterAt): Promise<void> {
  const { request } = run;
  if (run.patches.customerZoneTimes) return placeLater(run, wanted);
  request.notBefore =
    wanted === 'default'
      ? new Date(Date.now() + LATER_DEFAULT_MS).toISOString()
      : 'inMinutes' in wanted
        ? new Date(Date.now() + wanted.inMinutes * 60_000).toISOString()
        : await run.local.nextLocalTime({
            now: workflowNow(),
            ...(request.timeZone ? { timeZone: request.timeZone } : {}),
            ...wanted,
          });
  run.note('rescheduled', `The customer asked for a call not before ${request.notBefore}.`);
}

/**
 * "LATER …": the callback waits until the time the customer meant, read in their zone (named in
 * the reply, known, or the number's candidates). When the candidates disagree on the instant, we
 * ask back and leave the callback as it was.
 */
async function placeLater(run: CallbackRun, wanted: LaterAt): Promise<void> {
  const { request } = run;
  if (wanted === 'default' || 'inMinutes' in wanted) {
    const ms = wanted === 'default' ? LATER_DEFAULT_MS : wanted.inMinutes * 60_000;
    request.notBefore = new Date(Date.now() + ms).toISOString();
  } else {
    const zones =
      wanted.timeZone !== undefined
        ? [wanted.timeZone]
        : request.timeZone !== undefined
          ? [request.timeZone]
          : run.contact.candidateTimeZones;
    const placed = await run.local.placeCustomerTime({
      now: workflowNow(),
      zones,
      hour: wanted.hour,
      minute: wanted.minute,
    });
    if (placed.kind === 'unclear') {
      const time = `${String(wanted.hour).padStart(2, '0')}:${String(wanted.minute).padStart(2, '0')}`;
      run.timeQuestions += 1;
      const asked = await sendText(
        run,
        'sms.callback.time-unclear',
        { time },
        `${run.keyPrefix}/sms/time-question/${run.timeQuestions}`,
        // It answers the SMS the customer has just sent.
        workflowNow(),
      );
      run.note(
        'time-unclear',
        `The customer asked for ${time}, but their number's zones disagree on when that is` +
          (asked ? '; they were asked which zone they mean.' : '; the question could not be sent.') +
          ' The callback stays as it was.',
      );
      return;
    }
    request.notBefore = new Date(placed.atMs).toISOString();
  }
  run.note('rescheduled', `The customer asked for a call not before ${request.notBefore}.`);
}
