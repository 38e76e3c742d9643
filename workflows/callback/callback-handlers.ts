import { setHandler } from '@temporalio/workflow';
import { parseCallbackReply } from '../../domain/callbacks/callback-reply';
import {
  callbackOfferedSignal,
  callbackRequestedSignal,
  callbackStatusQuery,
  cancelCallbackUpdate,
  customerReachedUsUpdate,
  type StopCallbackInput,
  type StopResult,
} from '../callback-messages';
import { updateInputs } from './update-inputs';
import { deliveryStatusSignal, inboundReplySignal } from '../channel-signals';
import type { CallbackRun } from './callback-run';
import { wireClaimUpdates, wireDispositionUpdate, wireSupervisorUpdates } from './desk-updates';

/**
 * Wires the callback's query, signals and updates to its run. Handlers only record what was asked
 * (the main loop acts on it); validators are synchronous (the SDK does not enforce an async one) and
 * read only workflow state. Set in this order before the run's first step: signal-with-start's
 * request is delivered as its handler is set.
 */
export function wireCallbackHandlers(run: CallbackRun): void {
  const { life } = run.patches;
  setHandler(callbackStatusQuery, () => run.status());

  setHandler(callbackRequestedSignal, (next) => {
    // Signal-with-start delivers the first request twice (argument and signal): count it once.
    if (run.requestIds.has(next.requestId)) return;
    run.requestIds.add(next.requestId);
    // Arrived while this run was finishing — or while the customer was being called, when a merge
    // would be lost with a call that connects: it is served after this callback (merged if the
    // ladder goes on, a callback of its own if this one ends).
    const busy = run.state === 'dialling' || run.state === 'on-call' || run.closing;
    if (run.state === 'done' || (busy && life)) {
      run.lateRequests.push(next);
      if (run.state !== 'done')
        run.note(
          'merged-later',
          `Another ${next.origin} request arrived during the call; it is kept for after it.`,
        );
      return;
    }
    run.mergeRequest(next);
  });

  setHandler(callbackOfferedSignal, async (made) => {
    if (
      run.state !== 'waiting-for-agent' ||
      run.claim !== undefined ||
      (life && (run.offer !== undefined || run.closing))
    ) {
      // Not waiting any more (claimed, moved to a later time, closing): the agent must not stay
      // held for an offer this run will never time out.
      if (life && run.offer?.agentId !== made.agentId) {
        await run.queue.releaseOffer({ workflowId: run.workflowId, agentId: made.agentId });
      }
      return;
    }
    run.offer = { agentId: made.agentId, expiresAt: Date.now() + made.offerMs };
    run.offerAnswer = undefined;
  });

  setHandler(deliveryStatusSignal, (report) => {
    const reports = run.callReports.get(report.attemptKey) ?? [];
    if (reports.some((seen) => seen.status === report.status)) return;
    reports.push(report);
    run.callReports.set(report.attemptKey, reports);
  });

  setHandler(inboundReplySignal, (reply) => {
    const parsed = parseCallbackReply(reply.body, {
      zonesAndDelays: run.patches.customerZoneTimes,
      beforeOneNormaliser: !run.patches.oneReplyNormaliser,
    });
    if (parsed.kind === 'unknown') {
      run.note('reply', 'The customer replied something we do not understand; it is kept for the agent.');
      return;
    }
    if (run.state === 'dialling' || run.state === 'on-call' || run.state === 'done') return;
    if (parsed.kind === 'cancel') {
      run.stop = { outcome: 'cancelled', detail: 'The customer replied that they no longer need a call.' };
    } else if (parsed.kind === 'call-me') {
      run.reopened = true;
      run.request.notBefore = undefined;
      run.note('reply', 'The customer asked to be called.');
    } else {
      run.laterAt =
        parsed.inMinutes !== undefined
          ? { inMinutes: parsed.inMinutes }
          : parsed.localTime !== undefined
            ? { ...parsed.localTime, ...(parsed.timeZone !== undefined ? { timeZone: parsed.timeZone } : {}) }
            : 'default';
      run.note('reply', 'The customer asked to be called later.');
    }
    run.changed = true;
  });

  const stopHandler =
    (kind: 'resolved-elsewhere' | 'cancelled') =>
    (input: StopCallbackInput): StopResult => {
      const parsed = updateInputs().stopCallbackSchema.parse(input);
      // Once the customer is talking with the agent there is nothing left to stop.
      if (run.state === 'done' || run.state === 'on-call' || run.stop !== undefined) {
        return {
          stopped: false,
          dialStarted: run.dialStarted,
          ...(run.outcome !== undefined ? { outcome: run.outcome } : {}),
        };
      }
      run.stop = {
        outcome: kind,
        detail:
          kind === 'resolved-elsewhere'
            ? `The customer reached us${parsed.channel ? ` by ${parsed.channel}` : ''} (reported by ${parsed.by}).`
            : `Cancelled by ${parsed.by}${parsed.reason ? `: ${parsed.reason}` : ''}.`,
      };
      return { stopped: true, dialStarted: run.dialStarted };
    };
  const validateStop = (input: StopCallbackInput): void =>
    void updateInputs().stopCallbackSchema.parse(input);
  setHandler(customerReachedUsUpdate, stopHandler('resolved-elsewhere'), { validator: validateStop });
  setHandler(cancelCallbackUpdate, stopHandler('cancelled'), { validator: validateStop });

  wireClaimUpdates(run);
  wireSupervisorUpdates(run);
  wireDispositionUpdate(run);
}
