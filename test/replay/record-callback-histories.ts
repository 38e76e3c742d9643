/**
 * Records the histories of abandonedCallCallback's and surveyRescue's paths for the replay tests:
 *   npx tsx test/replay/record-callback-histories.ts [name …]
 * With names, only those scenarios are recorded: a committed history of an older version of the
 * workflow must stay as it was recorded, so new paths are recorded by name.
 * A callback needs agents, claims and replies, and its ladder waits minutes to hours, so the
 * scenarios run on the time-skipping server with the whole channel stack (sandbox, store, webhooks,
 * workers), driven as the tests drive them. Each file is named after its workflow id, which replay
 * passes back. Commit the files with the workflow change that made them.
 */
import { customerKeyFor } from '../../domain/customer-key';
import type { CallbackRequest } from '../../domain/callbacks';
import { defaultRescueRules } from '../../domain/rescue';
import { callbackDispatcherId } from '../../workflows/callback-messages';
import { surveyRescue } from '../../workflows/survey-rescue';
import { startCallbackStack, type CallbackStack } from '../harness/callbacks';
import { startRecordingEnv, writeHistory } from './recording';

type Scenario = (stack: CallbackStack, workflowId: string, request: CallbackRequest) => Promise<void>;

const claimant = { name: 'ANA', skills: ['sales'], languages: ['en'], presence: 'busy' as const };

const MINUTE = 60_000;

/** Ana takes the callback offered to her, talks, records it resolved, and signs off. */
async function anaTakesAndResolves(stack: CallbackStack, workflowId: string): Promise<void> {
  await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'ana');
  await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'accept' });
  await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
  await stack.recontact.callbacks.recordDisposition(
    { workflowId },
    { agentId: 'ana', disposition: 'resolved' },
  );
  await stack.waitForStatus(workflowId, (status) => status.state === 'done');
  await stack.setAgent('ana', 'offline');
}

/**
 * `record`: which run's history to keep — the first (default) or the last of the chain (a run that
 * started from a continue-as-new, with carried state).
 */
const scenarios: Record<
  string,
  { phone: string; waitedSeconds?: number; record?: 'first' | 'last'; run: Scenario }
> = {
  'callback-replay-ignored-short-abandon': {
    phone: '+12125550401',
    waitedSeconds: 3,
    run: async (stack, workflowId) => {
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    },
  },
  'callback-replay-connected': {
    phone: '+12125550402',
    run: async (stack, workflowId) => {
      await stack.setAgent('ana', 'available');
      await anaTakesAndResolves(stack, workflowId);
    },
  },
  // Recorded with patched('one-local-activity-at-a-time'): the acknowledgement beside the wait for
  // an agent, the desk's rows and the claim's section, each local activity through the run's gate.
  'callback-gated-acknowledged-then-connected': {
    phone: '+12125550426',
    run: async (stack, workflowId) => {
      await stack.setAgent('ana', 'available');
      await anaTakesAndResolves(stack, workflowId);
    },
  },
  'callback-replay-resolved-elsewhere': {
    phone: '+12125550403',
    run: async (stack, workflowId) => {
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      await stack.recontact.callbacks.customerReachedUs({ workflowId }, { by: 'acd', channel: 'chat' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    },
  },
  'callback-replay-voicemail-expired': {
    phone: '+14155550103',
    run: async (stack, workflowId) => {
      await stack.setAgent('ana', 'busy');
      await stack.claimThroughLadder(workflowId, { agentId: 'ana', ...claimant }, 3);
      const fallback = await stack.waitForStatus(workflowId, (status) => status.state === 'fallback-sent');
      await stack.sleepUntil(Date.parse(fallback.expiresAt ?? '') + 60_000);
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    },
  },
  'callback-replay-offer-timeout-follow-up': {
    phone: '+12125550404',
    run: async (stack, workflowId) => {
      await stack.setAgent('ana', 'available');
      await stack.setAgent('ben', 'available');
      const first = await stack.waitForStatus(workflowId, (status) => status.state === 'offered');
      await stack.sleepUntil(Date.parse(first.offer?.expiresAt ?? '') + 1_000);
      const second = await stack.waitForStatus(
        workflowId,
        (status) => status.state === 'offered' && status.offer?.agentId !== first.offer?.agentId,
      );
      const agentId = second.offer?.agentId ?? '';
      await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId, answer: 'accept' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
      await stack.recontact.callbacks.recordDisposition(
        { workflowId },
        {
          agentId,
          disposition: 'follow-up',
          followUpAt: new Date(Date.parse(await stack.nowIso()) + 86_400_000).toISOString(),
        },
      );
      await stack.waitForStatus(workflowId, (status) => status.context.origin === 'follow-up');
      await stack.setAgent('ana', 'offline');
      await stack.setAgent('ben', 'offline');
    },
  },
  'callback-replay-busy-fallback-reopened': {
    phone: '+14155550101',
    run: async (stack, workflowId) => {
      await stack.setAgent('ana', 'busy');
      await stack.claimThroughLadder(workflowId, { agentId: 'ana', ...claimant }, 3);
      await stack.waitForStatus(workflowId, (status) => status.state === 'fallback-sent');
      await stack.sandbox.simulateInboundSms({ from: '+14155550101', to: '+15005550006', body: '1' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      await stack.recontact.callbacks.cancel({ workflowId }, { by: 'recorder', reason: 'end of scenario' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    },
  },
  // Issue 11's paths (behind patched('callback-life')).
  'callback-life-long-call-cancel-during-call': {
    phone: '+12125550421',
    run: async (stack, workflowId) => {
      stack.sandbox.holdConversations('+12125550421');
      await stack.setAgent('ana', 'available');
      await stack.waitForStatus(workflowId, (status) => status.state === 'offered');
      await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'accept' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
      await stack.sleepUntil(Date.parse(await stack.nowIso()) + 70 * MINUTE);
      await stack.recontact.callbacks.cancel({ workflowId }, { by: 'recorder' });
      await stack.recontact.callbacks.recordDisposition(
        { workflowId },
        { agentId: 'ana', disposition: 'resolved' },
      );
      stack.sandbox.hangUp('+12125550421');
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
      await stack.setAgent('ana', 'offline');
    },
  },
  'callback-life-agent-phone-failed-then-served': {
    phone: '+12125550422',
    run: async (stack, workflowId) => {
      await stack.services.store.upsertAgent({
        id: 'cat',
        name: 'CAT',
        address: '+15005550001',
        skills: ['sales'],
        languages: ['en'],
        presence: 'available',
        at: Date.now(),
      });
      await stack.waitForStatus(workflowId, (status) => status.offer?.agentId === 'cat');
      await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'cat', answer: 'accept' });
      await stack.waitForStatus(workflowId, (status) =>
        status.timeline.some((entry) => entry.step === 'agent-phone-failed'),
      );
      await stack.setAgent('ana', 'available');
      await anaTakesAndResolves(stack, workflowId);
      await stack.setAgent('cat', 'offline');
    },
  },
  'callback-life-provider-outage-parked': {
    phone: '+12125550423',
    run: async (stack, workflowId) => {
      stack.sandbox.injectFault({ status: 503, seconds: 60 });
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      await stack.recontact.callbacks.claim({ workflowId }, { agentId: 'ana', ...claimant });
      await stack.sleepUntil(Date.parse(await stack.nowIso()) + 30 * MINUTE);
      await stack.waitForStatus(workflowId, (status) =>
        status.timeline.some((entry) => entry.step === 'provider-unavailable'),
      );
      stack.sandbox.clearFaults();
      await stack.sleepUntil(Date.parse(await stack.nowIso()) + 15 * MINUTE);
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      await stack.recontact.callbacks.claim({ workflowId }, { agentId: 'ana', ...claimant });
      await stack.waitForStatus(workflowId, (status) => status.state === 'on-call');
      await stack.recontact.callbacks.recordDisposition(
        { workflowId },
        { agentId: 'ana', disposition: 'resolved' },
      );
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    },
  },
  'callback-life-continued-as-new-then-served': {
    phone: '+12125550424',
    record: 'last',
    run: async (stack, workflowId) => {
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      for (let hour = 0; hour < 10; hour += 1)
        await stack.sleepUntil(Date.parse(await stack.nowIso()) + 60 * MINUTE);
      await stack.waitForStatus(workflowId, (status) =>
        status.timeline.some((entry) => entry.step === 'continued'),
      );
      await stack.setAgent('ana', 'available');
      await anaTakesAndResolves(stack, workflowId);
    },
  },
  'callback-dispatcher-no-polling-declined-then-served': {
    phone: '+12125550425',
    run: async (stack, workflowId) => {
      // Three hours with nobody available: the run sleeps without asking anyone.
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      await stack.sleepUntil(Date.parse(await stack.nowIso()) + 180 * MINUTE);
      // The dispatcher offers it to ana, who rejects; after the decline round she is asked again.
      await stack.setAgent('ana', 'available');
      await stack.waitForStatus(workflowId, (status) => status.state === 'offered');
      await stack.recontact.callbacks.answerOffer({ workflowId }, { agentId: 'ana', answer: 'reject' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      await stack.sleepUntil(Date.parse(await stack.nowIso()) + 2 * MINUTE + 5_000);
      await anaTakesAndResolves(stack, workflowId);
    },
  },
  // Issue 13's replies (behind patched('reply-in-customer-zone') and patched('release-reply-waits')).
  'callback-replies-zone-question-then-placed': {
    phone: '+18005550431',
    run: async (stack, workflowId) => {
      const phone = '+18005550431';
      await stack.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
      // A toll-free number spans every North American zone: "4pm" is asked about, then placed.
      await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'LATER 4pm' });
      await stack.waitForStatus(workflowId, (status) =>
        status.timeline.some((entry) => entry.step === 'time-unclear'),
      );
      await stack.sandbox.simulateInboundSms({ from: phone, to: '+15005550006', body: 'LATER 4pm PT' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'scheduled');
      await stack.recontact.callbacks.cancel({ workflowId }, { by: 'recorder', reason: 'end of scenario' });
      await stack.waitForStatus(workflowId, (status) => status.state === 'done');
    },
  },
};

async function main(): Promise<void> {
  const recording = await startRecordingEnv();
  const { env } = recording;
  const stack = await startCallbackStack(env);
  const only = process.argv.slice(2);
  const wanted = (name: string): boolean => only.length === 0 || only.includes(name);
  try {
    for (const [workflowId, scenario] of Object.entries(scenarios)) {
      if (!wanted(workflowId)) continue;
      const request: CallbackRequest = {
        origin: 'abandon',
        requestId: `CA-${workflowId}`,
        customerKey: customerKeyFor(scenario.phone, stack.services.customerKeySecret),
        phone: scenario.phone,
        country: 'US',
        queue: 'sales',
        skill: 'sales',
        waitedSeconds: scenario.waitedSeconds ?? 60,
        requestedAt: await stack.nowIso(),
        priorityPoints: 0,
        abandonCount: 1,
      };
      await stack.recontact.callbacks.startRequest(workflowId, request);
      const { runId } = await env.client.workflow.getHandle(workflowId).describe();
      await scenario.run(stack, workflowId, request);
      // The first run's history (a follow-up continues as new under the same id), or the last.
      const handle = env.client.workflow.getHandle(
        workflowId,
        scenario.record === 'last' ? undefined : runId,
      );
      writeHistory(workflowId, await handle.fetchHistory());
    }
    // The task queue's dispatcher, as the scenarios above left it (it runs on: a partial history).
    if (wanted('callback-dispatcher')) {
      const dispatcher = env.client.workflow.getHandle(
        callbackDispatcherId(stack.config.TEMPORAL_TASK_QUEUE),
      );
      writeHistory('callback-dispatcher', await dispatcher.fetchHistory());
    }
    // Survey rescue: a detractor (the rescue callback is started, then cancelled) and a promoter.
    for (const [workflowId, score, phone] of [
      ['rescue-replay-detractor', 2, '+12125550411'],
      ['rescue-replay-promoter', 10, '+12125550412'],
    ] as const) {
      if (!wanted(workflowId)) continue;
      const customerKey = customerKeyFor(phone, stack.services.customerKeySecret);
      const callbackWorkflowId = stack.recontact.callbacks.workflowIdFor(phone);
      const response = {
        responseId: workflowId,
        score: { type: 'nps' as const, score },
        interaction: { id: 'CA-replay', queue: 'billing', agentId: 'ana' },
        customer: { phone, recentComplaints: 0 },
      };
      const handle = await env.client.workflow.start(surveyRescue, {
        workflowId,
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        args: [
          {
            response,
            rules: defaultRescueRules,
            customerKey,
            phone,
            callbackWorkflowId,
            callback: {
              origin: 'rescue',
              requestId: `survey-${workflowId}`,
              customerKey,
              phone,
              queue: 'billing',
              skill: 'rescue',
              waitedSeconds: 0,
              requestedAt: await stack.nowIso(),
              priorityPoints: 0,
              abandonCount: 1,
              surveyScore: response.score,
            },
            supervisorEmail: 'rescue-desk@example.com',
          },
        ],
      });
      await handle.result();
      if (score < 7) {
        await stack.recontact.callbacks.cancel({ workflowId: callbackWorkflowId }, { by: 'recorder' });
      }
      writeHistory(workflowId, await handle.fetchHistory());
    }
  } finally {
    await stack.stop();
    await recording.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
