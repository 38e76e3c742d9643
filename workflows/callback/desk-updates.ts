import { setHandler } from '@temporalio/workflow';
import { isEligible } from '../../domain/callbacks/assign-offers';
import {
  answerOfferUpdate,
  claimCallbackUpdate,
  raisePriorityUpdate,
  reassignCallbackUpdate,
  recordDispositionUpdate,
  rescheduleCallbackUpdate,
} from '../callback-messages';
import { updateInputs } from './update-inputs';
import type { CallbackRun } from './callback-run';

// The desk's updates of a callback: an agent's claim, answer and disposition; a supervisor's
// reschedule, reassignment and priority raise. Wired by callback-handlers.ts, in this order.

/** A supervisor's reassignment reserves the callback for that agent this long. */
const REASSIGN_RESERVE_MS = 10 * 60_000;

/** A claim is refused once the run is closing, taken, or not waiting for an agent. */
function refuseClaim(run: CallbackRun, agentId: string): void {
  if (run.stop !== undefined || run.state === 'done' || run.closing) {
    throw new Error(
      `this callback is ${run.outcome ?? run.stop?.outcome ?? 'closing'}: it can no longer be claimed`,
    );
  }
  if (run.claim !== undefined) {
    throw new Error(
      run.claim.agentId === agentId
        ? 'you already claimed this callback'
        : 'another agent already claimed this callback',
    );
  }
  if (run.state !== 'waiting-for-agent' && run.state !== 'offered') {
    throw new Error(`this callback is ${run.state}, not waiting for an agent`);
  }
}

/** The agent desk's updates: claim, answer an offer. */
export function wireClaimUpdates(run: CallbackRun): void {
  setHandler(
    claimCallbackUpdate,
    (agent) => {
      run.claim = { agentId: agent.agentId, name: agent.name };
      run.note('claimed', `Claimed by agent ${agent.agentId}.`, agent.agentId);
      return run.status();
    },
    {
      validator: (input) => {
        const agent = updateInputs().claimingAgentSchema.parse(input);
        refuseClaim(run, agent.agentId);
        const { offer } = run;
        if (offer !== undefined && offer.agentId !== agent.agentId && offer.expiresAt > Date.now()) {
          throw new Error('this callback is offered to another agent right now');
        }
        if (agent.presence === 'away' || agent.presence === 'offline') {
          throw new Error(`an agent who is ${agent.presence} cannot claim a callback`);
        }
        const { skill, request } = run;
        if (
          !isEligible(
            { ...agent, id: agent.agentId },
            { skill, language: request.language, declinedAgentIds: [] },
          )
        ) {
          throw new Error(
            `agent ${agent.agentId} lacks the skill ${skill}` +
              (request.language !== undefined ? ` or the language ${request.language}` : ''),
          );
        }
      },
    },
  );
  setHandler(
    answerOfferUpdate,
    (answer) => {
      run.offerAnswer = answer.answer;
      if (answer.answer === 'accept') {
        run.claim = { agentId: answer.agentId, name: answer.agentId };
        run.note('claimed', `Agent ${answer.agentId} accepted the offer.`, answer.agentId);
      }
      return run.status();
    },
    {
      validator: (input) => {
        const answer = updateInputs().offerAnswerSchema.parse(input);
        refuseClaim(run, answer.agentId);
        if (run.offer?.agentId !== answer.agentId || run.offerAnswer !== undefined) {
          throw new Error('this callback is not offered to you');
        }
      },
    },
  );
}

/** The supervisor's updates: reschedule, reassign, raise the priority. */
export function wireSupervisorUpdates(run: CallbackRun): void {
  const { life } = run.patches;
  const refuseWhenClosed = (): void => {
    if (run.state === 'done' || run.stop !== undefined || run.closing)
      throw new Error(`this callback is ${run.outcome ?? 'closing'}`);
  };
  setHandler(
    rescheduleCallbackUpdate,
    (input) => {
      const { notBefore, by } = updateInputs().rescheduleSchema.parse(input);
      run.request.notBefore = notBefore;
      run.changed = true;
      // A new time while the callback is offered: the offer ends and the callback waits for its time.
      if (life && run.offer !== undefined) run.withdrawOffer = true;
      run.note('rescheduled', `Rescheduled by ${by} to not before ${notBefore}.`);
      return run.status();
    },
    {
      validator: (input) => {
        const { notBefore } = updateInputs().rescheduleSchema.parse(input);
        refuseWhenClosed();
        if (run.state === 'dialling' || run.state === 'on-call')
          throw new Error(`the customer is being called (${run.state})`);
        if (run.expiresAtMs !== undefined && Date.parse(notBefore) > run.expiresAtMs) {
          throw new Error(
            `notBefore is after the callback expires (${new Date(run.expiresAtMs).toISOString()})`,
          );
        }
      },
    },
  );
  setHandler(
    reassignCallbackUpdate,
    (input) => {
      const { agentId, by } = updateInputs().reassignSchema.parse(input);
      run.preferred = { agentId, onlyUntilMs: Date.now() + REASSIGN_RESERVE_MS };
      run.declined.delete(agentId);
      run.changed = true;
      if (life) {
        // The queue entry must name the new agent even if the change lands during an offer.
        run.requeue = true;
        if (run.offer !== undefined && run.offer.agentId !== agentId) run.withdrawOffer = true;
      }
      run.note('reassigned', `Reassigned to agent ${agentId} by ${by}.`);
      return run.status();
    },
    {
      validator: (input) => {
        updateInputs().reassignSchema.parse(input);
        refuseWhenClosed();
        if (run.claim !== undefined) throw new Error(`agent ${run.claim.agentId} already has this callback`);
      },
    },
  );
  setHandler(
    raisePriorityUpdate,
    (input) => {
      const { points, by } = updateInputs().raisePrioritySchema.parse(input);
      run.request.priorityPoints += points;
      run.priority += points;
      run.changed = true;
      if (life) run.requeue = true;
      run.note('priority-raised', `Priority raised by ${points} by ${by}.`);
      run.showPriority();
      void run.publishToDesk();
      return run.status();
    },
    {
      validator: (input) => {
        updateInputs().raisePrioritySchema.parse(input);
        refuseWhenClosed();
      },
    },
  );
}

/** The agent records how the connected call ended. */
export function wireDispositionUpdate(run: CallbackRun): void {
  setHandler(
    recordDispositionUpdate,
    (input) => {
      const disposition = updateInputs().dispositionSchema.parse(input);
      run.disposition = disposition;
      run.note('disposition', `Agent ${disposition.agentId} recorded ${disposition.disposition}.`);
      return run.status();
    },
    {
      validator: (input) => {
        const parsed = updateInputs().dispositionSchema.parse(input);
        if (run.claim?.agentId !== parsed.agentId)
          throw new Error('only the agent on this callback may record its disposition');
        if (run.state !== 'on-call' || run.disposition !== undefined) {
          throw new Error(`no call is waiting for a disposition (this callback is ${run.state})`);
        }
      },
    },
  );
}
