import { condition } from '@temporalio/workflow';
import type { CallbackRun } from './callback-run';
import { leaveQueue, rescore, type askWindow } from './callback-steps';

/**
 * Runs started before the one dispatcher ask it again this often while they wait; newer runs wait
 * this long after agents declined them before asking those agents again.
 */
const DISPATCH_CHECK_MS = 120_000;

type Window = Awaited<ReturnType<typeof askWindow>>;

/**
 * 3b–3c. The callback is due: it waits in the agent queue until an agent claims it (an offer
 * accepted, or a claim from the desk). True when an agent has claimed it; false when the main loop
 * must look again (stopped, changed, a new round, an offer declined or withdrawn, a deadline).
 * Nobody is dialled until an agent has claimed the callback.
 */
export async function findAgent(run: CallbackRun, window: Window, expiresAt: number): Promise<boolean> {
  const { request, declined } = run;
  run.dueAtMs ??= Date.now();
  if (run.state !== 'waiting-for-agent' || !run.inQueue || run.requeue) {
    await rescore(run);
    if (run.state !== 'waiting-for-agent' || !run.inQueue) {
      run.enter('waiting-for-agent', 'due', `Due; waiting for an available agent with skill ${run.skill}.`);
    }
  }
  if (!run.inQueue || run.requeue) {
    const first = !run.inQueue;
    run.inQueue = true;
    run.requeue = false;
    const { preferred } = run;
    const queued = await run.queue.queueForAgent({
      workflowId: run.workflowId,
      customerKey: request.customerKey,
      skill: run.skill,
      ...(request.language !== undefined ? { language: request.language } : {}),
      priority: run.priority,
      requestedAtMs: Date.parse(request.requestedAt),
      ...(preferred !== undefined
        ? { preferredAgentId: preferred.agentId, preferredOnlyUntilMs: preferred.onlyUntilMs }
        : request.previousAgentId !== undefined
          ? { preferredAgentId: request.previousAgentId }
          : {}),
      declinedAgentIds: [...declined],
    });
    if (first && queued.preferredAgentId !== undefined && preferred === undefined) {
      run.note('owner', `Agent ${queued.preferredAgentId} served this customer before and is asked first.`);
    }
  }
  const offeredOrChanged = () =>
    run.stop !== undefined || run.changed || run.offer !== undefined || run.claim !== undefined;
  const { oneDispatcher } = run.patches;
  if (oneDispatcher) {
    // The dispatcher signals the offer. The run wakes by itself only for its own deadlines: the
    // window's close, its expiry, and the end of a round in which agents declined it.
    const wakeAt = Math.min(
      expiresAt,
      window.verdict === 'allowed' ? (window.openUntilEpochMs ?? Infinity) : Infinity,
      declined.size > 0 ? Date.now() + DISPATCH_CHECK_MS : Infinity,
    );
    const woken =
      wakeAt === Infinity
        ? (await condition(offeredOrChanged), true)
        : await condition(offeredOrChanged, Math.max(1, wakeAt - Date.now()));
    if (!woken) {
      if (declined.size > 0) {
        // A new round: agents who declined earlier may be asked again.
        declined.clear();
        run.requeue = true;
      }
      return false;
    }
  }
  const gotSomething = oneDispatcher || (await condition(offeredOrChanged, DISPATCH_CHECK_MS));
  if (run.stop !== undefined) return false;
  if (run.changed && run.claim === undefined && run.offer === undefined) {
    run.requeue = true; // with the new priority or agent; a new time takes it out of the queue above
    return false;
  }
  if (!gotSomething) {
    if (declined.size > 0) {
      // A new round: agents who declined earlier may be asked again.
      declined.clear();
      run.requeue = true;
    } else {
      await run.queue.dispatchCallbacks();
    }
    return false;
  }
  if (run.claim === undefined && run.offer !== undefined) return awaitAnswer(run, run.offer);
  return run.claim !== undefined;
}

/**
 * 3c. Offered: the agent accepts, rejects or lets the preview time out; anyone eligible may claim.
 * True when claimed; false when the main loop looks again (even if a claim lands meanwhile).
 */
async function awaitAnswer(
  run: CallbackRun,
  offered: { agentId: string; expiresAt: number },
): Promise<boolean> {
  run.enter(
    'offered',
    'offered',
    `Offered to agent ${offered.agentId} until ${new Date(offered.expiresAt).toISOString()}.`,
    offered.agentId,
  );
  await condition(
    () =>
      run.stop !== undefined || run.claim !== undefined || run.offerAnswer === 'reject' || run.withdrawOffer,
    Math.max(1, offered.expiresAt - Date.now()),
  );
  if (run.claim === undefined && run.withdrawOffer) {
    // A supervisor gave the callback to another agent (or another time): the offer ends now,
    // without counting as this agent's decline, and the queue entry is written anew.
    run.withdrawOffer = false;
    run.offer = undefined;
    run.note('offer-withdrawn', `The offer to agent ${offered.agentId} was withdrawn.`, offered.agentId);
    run.state = 'waiting-for-agent';
    await leaveQueue(run);
    return false;
  }
  run.withdrawOffer = false;
  if (run.claim !== undefined) return true;
  run.offer = undefined;
  run.declined.add(offered.agentId);
  if (run.stop !== undefined) return false;
  const rejected = run.offerAnswer === 'reject';
  run.note(
    rejected ? 'offer-rejected' : 'offer-timed-out',
    `Agent ${offered.agentId} ${rejected ? 'rejected the offer' : 'did not answer the offer in time'}; the next agent is asked.`,
    offered.agentId,
  );
  // Waiting again before the dispatcher runs: its next offer may arrive while declineOffer runs.
  run.state = 'waiting-for-agent';
  void run.publishToDesk();
  await run.queue.declineOffer({ workflowId: run.workflowId, agentId: offered.agentId });
  return false;
}
