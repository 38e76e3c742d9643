import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AbandonEventInput } from '../../domain/callbacks';
import { requestDispatch } from '../../services/callback-dispatcher';
import {
  callbackDispatcherId,
  type CallbackStatus,
  type ClaimingAgent,
} from '../../workflows/callback-messages';
import { startChannelStack, type ChannelStack } from './channels';
import { callbackPolicyFile } from './policy-files';
import { eventually } from './temporal';

/** The sandbox answers every number that is not a scenario number as a person: agents' phones. */
export const agentPhones = { ana: '+14155550123', ben: '+14155550124', cat: '+14155550125' } as const;
export type TestAgent = keyof typeof agentPhones;

export interface CallbackStack extends ChannelStack {
  /** An abandon from `phone` now (the server's time), in queue `sales` unless `extra.queue` says otherwise. */
  abandon(phone: string, extra?: Partial<AbandonEventInput>): Promise<string>;
  status(workflowId: string): Promise<CallbackStatus>;
  /** Polls the run's status (real time) until `accept` holds. */
  waitForStatus(workflowId: string, accept: (status: CallbackStatus) => boolean): Promise<CallbackStatus>;
  /** Creates or updates an agent (English, skill `sales` unless given), then runs the dispatcher as the API does. */
  setAgent(
    id: TestAgent,
    presence: 'available' | 'busy' | 'away' | 'offline',
    skills?: string[],
  ): Promise<void>;
  /** The dispatcher's state and last events, for failure messages. */
  describeDispatcher(): Promise<string>;
  /** Tells the dispatcher something changed, as the API does after a presence change. */
  requestDispatch(): Promise<void>;
  /** Calls placed to agents (parent calls) since the stack started. */
  agentCalls(): ReturnType<ChannelStack['sandbox']['outbox']['listCalls']>;
  /** Agent-first calls whose customer leg rang `phone`. */
  callsFor(phone: string): ReturnType<ChannelStack['sandbox']['outbox']['listCalls']>;
  /** Messages the sandbox accepted for `phone`. */
  smsTo(phone: string): ReturnType<ChannelStack['sandbox']['outbox']['listMessages']>;
  nowIso(): Promise<string>;
  /** Advances the time-skipping server's clock to `epochMs` (a no-op on the dev server). */
  sleepUntil(epochMs: number): Promise<void>;
  /**
   * Walks a callback down its retry ladder: each time it waits for an agent, `agent` claims it; after
   * each attempt the clock skips to the next one. Stops at the fallback (or the end); returns the
   * status after each attempt.
   */
  claimThroughLadder(workflowId: string, agent: ClaimingAgent, attempts: number): Promise<CallbackStatus[]>;
}

/** What an agent claims with: `skills` is the one skill a test's callbacks ask for. */
export function claimingAgent(
  agentId: string,
  skill: string,
  presence: ClaimingAgent['presence'] = 'available',
): ClaimingAgent {
  return { agentId, name: agentId, skills: [skill], languages: ['en'], presence };
}

/** The channel stack with callback helpers, on the time-skipping server or the shared dev server. */
export async function startCallbackStack(
  env: TestWorkflowEnvironment | undefined,
  options: { policy?: 'round-the-clock' | 'new-york-centre'; config?: Record<string, string> } = {},
): Promise<CallbackStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-callbacks-'));
  const stack = await startChannelStack(
    {
      CONTACT_POLICY_FILE: callbackPolicyFile(dir, options.policy ?? 'round-the-clock'),
      CALLBACK_OWNER_WAIT_SECONDS: '0',
      ...options.config,
    },
    env === undefined
      ? undefined
      : {
          client: env.client,
          nativeConnection: env.nativeConnection,
          namespace: env.client.options.namespace,
        },
  );
  const nowMs = async () => (env === undefined ? Date.now() : env.currentTimeMs());
  const agentNumbers = new Set<string>(Object.values(agentPhones));
  const self: CallbackStack = {
    ...stack,
    async nowIso() {
      return new Date(await nowMs()).toISOString();
    },
    async sleepUntil(epochMs) {
      if (!Number.isFinite(epochMs)) throw new Error(`sleepUntil needs an instant, got ${epochMs}`);
      if (env !== undefined) await env.sleep(Math.max(0, epochMs - (await nowMs())));
    },
    async claimThroughLadder(workflowId, agent, attempts) {
      const after: CallbackStatus[] = [];
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        await self.waitForStatus(workflowId, (status) => status.state === 'waiting-for-agent');
        await stack.recontact.callbacks.claim({ workflowId }, agent);
        after.push(await self.waitForStatus(workflowId, (status) => status.attempts.length === attempt));
        const next = await self.waitForStatus(workflowId, (status) =>
          ['retry-wait', 'fallback-sent', 'done'].includes(status.state),
        );
        if (next.state !== 'retry-wait') break;
        await self.sleepUntil(Date.parse(next.dueAt ?? '') + 1_000);
      }
      return after;
    },
    async abandon(phone, extra = {}) {
      const { workflowId } = await stack.recontact.callbacks.requestCallback({
        callId: `CA${randomUUID().replace(/-/g, '')}`,
        from: phone,
        queue: 'sales',
        waitedSeconds: 60,
        abandonedAt: await self.nowIso(),
        ...extra,
      });
      return workflowId;
    },
    status(workflowId) {
      return stack.recontact.callbacks.status({ workflowId });
    },
    async waitForStatus(workflowId, accept) {
      let last: CallbackStatus | undefined;
      try {
        return await eventually(async () => {
          last = await self.status(workflowId).catch(() => last);
          return last !== undefined && accept(last) ? last : undefined;
        }, 20_000);
      } catch (error) {
        const seen =
          last === undefined
            ? 'no status'
            : `${last.state}: ${last.timeline.map((entry) => `${entry.step} (${entry.detail})`).join(' → ')}`;
        throw new Error(`${(error as Error).message}; last seen ${seen}; ${await self.describeDispatcher()}`);
      }
    },
    async describeDispatcher() {
      try {
        const handle = stack.temporal.workflow.getHandle(
          callbackDispatcherId(stack.config.TEMPORAL_TASK_QUEUE),
        );
        const described = await handle.describe();
        const events = (await handle.fetchHistory()).events ?? [];
        const recent = events.slice(-12).map((event) => {
          const failure =
            event.workflowTaskFailedEventAttributes?.failure?.message ??
            event.markerRecordedEventAttributes?.failure?.message;
          return `${String(event.eventType)}${failure ? ` (${failure})` : ''}`;
        });
        const task = described.raw.pendingWorkflowTask;
        return (
          `dispatcher ${described.status.name}, ${described.historyLength} events` +
          (task ? `, workflow task ${String(task.state)} attempt ${task.attempt}` : '') +
          `; last events ${recent.join(' ')}`
        );
      } catch (error) {
        return `dispatcher: ${(error as Error).message}`;
      }
    },
    async setAgent(id, presence, skills = ['sales']) {
      await stack.services.store.upsertAgent({
        id,
        name: id.toUpperCase(),
        address: agentPhones[id],
        skills,
        languages: ['en'],
        presence,
        at: Date.now(),
      });
      await self.requestDispatch();
    },
    async requestDispatch() {
      await requestDispatch(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE);
    },
    agentCalls() {
      return stack.sandbox.outbox.listCalls().filter((call) => agentNumbers.has(call.to));
    },
    callsFor(phone) {
      return self.agentCalls().filter((call) => call.legs.some((leg) => leg.to === phone));
    },
    smsTo(phone) {
      return stack.sandbox.outbox.listMessages().filter((message) => message.to === phone);
    },
    async stop() {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}
