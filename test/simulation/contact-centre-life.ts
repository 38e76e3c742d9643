import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Payload } from '@temporalio/common';
import { loadContactPolicy } from '../../config/contact-policy';
import { contactRequestSchema, decideContact } from '../../domain/policy';
import { CALLBACK_HISTORY_BOUND } from '../../workflows/abandoned-call-callback';
import type { CallbackStack } from '../harness/callbacks';
import { testPayloadCodec } from '../harness/payload-keys';

/**
 * A seeded, reproducible contact-centre life played against the real stack on the time-skipping
 * server: customers abandon (and come back seconds, hours or days later, or during their call), agents
 * accept or reject offers, talk 1–40 minutes, record dispositions and wander away mid-offer, one agent
 * has a mistyped number, the provider goes down for longer than the retry budget, customers cancel or
 * reach us during offer, dial and conversation, supervisors reassign and reschedule. At the end the
 * invariants are checked from the sandbox's outbox and the store, never from the runs' word.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Once the life is over, the driver steps this much at a time until every callback has closed. */
const DRAIN_STEP_MINUTES = 120;

export interface LifeOptions {
  seed: number;
  customers: number;
  agents: number;
  days: number;
  /** Simulated time per step of the driver. */
  stepMinutes: number;
}

/** mulberry32: a small seeded PRNG, so a seed replays the same life. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Line = 'person' | 'busy' | 'no-answer' | 'voicemail';
const SCENARIO_LINES: Record<Exclude<Line, 'person'>, string> = {
  busy: '+14155550101',
  'no-answer': '+14155550102',
  voicemail: '+14155550103',
};

interface Customer {
  phone: string;
  line: Line;
  talkMinutes: number;
  /** Steps at which this customer abandons the queue. */
  abandonSteps: number[];
  /** Something that happens to their callback, at a step. */
  twist?: { step: number; kind: 'cancel' | 'reached-us' | 'reassign' | 'reschedule' };
}

interface Agent {
  id: string;
  phone: string;
  /** Probability of accepting an offer. */
  accepts: number;
}

export interface LifeReport {
  seed: number;
  abandons: number;
  runs: number;
  outcomes: Record<string, number>;
  calls: number;
  sms: number;
  longestHistory: number;
  /** Twilio requests the sandbox refused with 503 during the outage: the outage met real traffic. */
  outageRefusals: number;
  realSeconds: number;
}

export class InvariantBroken extends Error {}

const codec = testPayloadCodec();

/** A JSON payload of a history event, decrypted (histories hold encrypted payloads) and parsed. */
async function decode(payload: Payload | null | undefined): Promise<unknown> {
  if (payload === null || payload === undefined) return undefined;
  const [plain] = await codec.decode([payload]);
  // An activity that returns nothing has an empty (binary/null) payload.
  return plain?.data && plain.data.length > 0
    ? JSON.parse(Buffer.from(plain.data).toString('utf8'))
    : undefined;
}

/** Plays one life and checks the invariants; throws InvariantBroken naming the seed and the run. */
export async function playLife(
  env: TestWorkflowEnvironment,
  stack: CallbackStack,
  options: LifeOptions,
): Promise<LifeReport> {
  const started = Date.now();
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const steps = Math.round((options.days * 24 * 60) / options.stepMinutes);
  const skill = `sim-${options.seed}`;

  // ---- the cast -------------------------------------------------------------------------------
  const agents: Agent[] = Array.from({ length: options.agents }, (_, index) => ({
    id: `sim-agent-${index}`,
    // The last agent's number was mistyped: Twilio's magic invalid number.
    phone: index === options.agents - 1 ? '+15005550001' : `+1415555${String(2000 + index)}`,
    accepts: 0.6 + random() * 0.4,
  }));
  const lines: Line[] = ['person', 'person', 'person', 'person', 'busy', 'no-answer', 'voicemail'];
  const customers: Customer[] = Array.from({ length: options.customers }, (_, index) => {
    const line = pick(lines);
    const first = Math.floor(random() * steps * 0.7);
    const abandonSteps = [first];
    const comeback = random();
    if (comeback < 0.15)
      abandonSteps.push(first); // seconds later: the same step
    else if (comeback < 0.35)
      abandonSteps.push(first + 1 + Math.floor(random() * 12)); // hours
    else if (comeback < 0.5) abandonSteps.push(first + Math.floor(steps / options.days)); // a day later
    const twistRoll = random();
    const twist: Customer['twist'] =
      twistRoll < 0.1
        ? { step: first + Math.floor(random() * 4), kind: 'cancel' }
        : twistRoll < 0.2
          ? { step: first + Math.floor(random() * 4), kind: 'reached-us' }
          : twistRoll < 0.27
            ? { step: first + 1, kind: 'reassign' }
            : twistRoll < 0.33
              ? { step: first + 1, kind: 'reschedule' }
              : undefined;
    return {
      phone: line === 'person' ? `+1212555${String(7000 + index)}` : SCENARIO_LINES[line],
      line,
      talkMinutes: 1 + Math.floor(random() * 40),
      abandonSteps: abandonSteps.filter((step) => step < steps),
      ...(twist !== undefined ? { twist } : {}),
    };
  });
  // The outage begins at the first step after 40 % of the life that follows a busy one (a callback
  // waiting or offered), and lasts until it has refused something, so it meets sends and calls
  // instead of a quiet night.
  let outageFrom: number | undefined;
  let busyLastStep = false;
  const outageSteps = Math.ceil((45 * MINUTE) / (options.stepMinutes * MINUTE)); // longer than the retry budget

  for (const agent of agents) {
    await stack.services.store.upsertAgent({
      id: agent.id,
      name: agent.id,
      address: agent.phone,
      skills: [skill],
      languages: ['en'],
      presence: 'available',
      at: Date.now(),
    });
  }
  for (const customer of customers) {
    if (customer.line === 'person') stack.sandbox.holdConversations(customer.phone);
  }

  // ---- the life -------------------------------------------------------------------------------
  const workflowOf = new Map<string, string>();
  /** The customer a workflow id belongs to (scenario lines are shared: the first customer speaks). */
  const customerOf = new Map<string, Customer>();
  const runIds = new Map<string, Set<string>>();
  /** Conversations in progress: phone → the step the customer hangs up at. */
  const talking = new Map<string, { until: number; workflowId: string; agentId: string }>();
  let abandons = 0;
  const noteRun = async (workflowId: string): Promise<void> => {
    const { runId } = await stack.temporal.workflow.getHandle(workflowId).describe();
    const seen = runIds.get(workflowId) ?? new Set<string>();
    seen.add(runId);
    runIds.set(workflowId, seen);
  };
  const tryIt = (action: Promise<unknown>): Promise<void> =>
    action.then(
      () => undefined,
      () => undefined, // a refused update (closed, not offered to you …) is part of life
    );

  // After the life, the centre works on (in longer steps) until every callback has closed.
  const drainSteps = Math.ceil((4 * 24 * 60) / DRAIN_STEP_MINUTES);
  for (let step = 0; step < steps + drainSteps; step += 1) {
    const living = step < steps;
    // The provider is down for a while: every Twilio request answers 503.
    if (living && outageFrom === undefined && step >= Math.floor(steps * 0.4) && busyLastStep)
      outageFrom = step;
    // It lasts its steps, and on (up to a day) until it has refused something.
    const refusals = () =>
      stack.sandbox.outbox.snapshot().requests.filter((request) => request.status === 503).length;
    if (
      living &&
      outageFrom !== undefined &&
      (step < outageFrom + outageSteps || (refusals() === 0 && step < outageFrom + steps / options.days))
    ) {
      stack.sandbox.injectFault({ status: 503, seconds: 30 });
    } else stack.sandbox.clearFaults();

    if (living) {
      for (const customer of customers) {
        for (const at of customer.abandonSteps.filter((abandonAt) => abandonAt === step)) {
          const workflowId = await stack.abandon(customer.phone, {
            queue: skill,
            waitedSeconds: 20 + Math.floor(random() * 300),
          });
          abandons += 1;
          workflowOf.set(customer.phone, workflowId);
          if (!customerOf.has(workflowId)) customerOf.set(workflowId, customer);
          await noteRun(workflowId);
          void at;
        }
        const workflowId = workflowOf.get(customer.phone);
        if (customer.twist?.step === step && workflowId !== undefined) {
          const target = { workflowId };
          if (customer.twist.kind === 'cancel')
            await tryIt(stack.recontact.callbacks.cancel(target, { by: 'sim' }));
          if (customer.twist.kind === 'reached-us')
            await tryIt(stack.recontact.callbacks.customerReachedUs(target, { by: 'sim', channel: 'chat' }));
          if (customer.twist.kind === 'reassign')
            await tryIt(stack.recontact.callbacks.reassign(target, { agentId: pick(agents).id, by: 'sim' }));
          if (customer.twist.kind === 'reschedule') {
            const notBefore = new Date((await env.currentTimeMs()) + 3 * HOUR).toISOString();
            await tryIt(stack.recontact.callbacks.reschedule(target, { notBefore, by: 'sim' }));
          }
        }
      }
      // Agents wander: one goes away for a step now and then, then comes back. An agent the system
      // took out of rotation (their phone failed) stays out: nobody fixes the number in this life.
      for (const agent of agents) {
        const current = await stack.services.store.getAgent(agent.id);
        if (current?.presenceNote !== undefined) continue;
        await stack.services.store.setPresence(agent.id, random() < 0.05 ? 'away' : 'available', Date.now());
      }
      await stack.requestDispatch(); // as the API does after a presence change
    }

    // Agents answer the offers they see and pick due callbacks from the desk's list (claims).
    const holds = await stack.services.store.listAgentHolds();
    for (const hold of holds.filter((candidate) => candidate.kind === 'offer')) {
      const agent = agents.find((candidate) => candidate.id === hold.agentId);
      if (agent === undefined) continue;
      const answer = random() < agent.accepts ? 'accept' : 'reject';
      await tryIt(
        stack.recontact.callbacks.answerOffer({ workflowId: hold.workflowId }, { agentId: agent.id, answer }),
      );
    }
    const taken = new Set(holds.map((hold) => hold.workflowId));
    const busyAgents = new Set(holds.map((hold) => hold.agentId));
    const waiting = (await stack.services.store.listCallbackQueue()).filter(
      (entry) => entry.skill === skill && !taken.has(entry.workflowId),
    );
    for (const agent of agents) {
      const current = await stack.services.store.getAgent(agent.id);
      if (busyAgents.has(agent.id) || current?.presence !== 'available' || random() > agent.accepts) continue;
      const entry = waiting.shift();
      if (entry === undefined) break;
      await tryIt(
        stack.recontact.callbacks.claim(
          { workflowId: entry.workflowId },
          { agentId: agent.id, name: agent.id, skills: [skill], languages: ['en'], presence: 'available' },
        ),
      );
    }

    // The people on the phone hang up when they are done talking; the agent records the outcome.
    for (const [phone, call] of talking) {
      if (step < call.until) continue;
      await tryIt(
        stack.recontact.callbacks.recordDisposition(
          { workflowId: call.workflowId },
          { agentId: call.agentId, disposition: 'resolved' },
        ),
      );
      stack.sandbox.hangUp(phone);
      stack.sandbox.holdConversations(phone); // their next call lasts as long as they like again
      talking.delete(phone);
    }
    // Calls in progress (an agent holds a call): a connected one starts a conversation.
    for (const hold of (await stack.services.store.listAgentHolds()).filter(
      (candidate) => candidate.kind === 'call',
    )) {
      const customer = customerOf.get(hold.workflowId);
      if (customer === undefined || talking.has(customer.phone)) continue;
      // The State search attribute, not the status query: a query the test server cannot answer at
      // once holds its clock (every later skip would run at the speed of real time).
      const described = await stack.temporal.workflow
        .getHandle(hold.workflowId)
        .describe()
        .catch(() => undefined);
      if (described?.searchAttributes.State?.[0] !== 'on-call') continue;
      if (customer.line !== 'person') {
        // Detection missed a machine: the agent says so, and the ladder goes on.
        await tryIt(
          stack.recontact.callbacks.recordDisposition(
            { workflowId: hold.workflowId },
            { agentId: hold.agentId, disposition: 'no-answer' },
          ),
        );
        continue;
      }
      talking.set(customer.phone, {
        until: step + (living ? Math.max(1, Math.round(customer.talkMinutes / options.stepMinutes)) : 1),
        workflowId: hold.workflowId,
        agentId: hold.agentId,
      });
      // Some customers ring the queue again during the call, and give up.
      if (living && random() < 0.15) {
        await stack.abandon(customer.phone, { queue: skill, waitedSeconds: 45 });
        abandons += 1;
      }
    }
    busyLastStep = waiting.length > 0 || holds.some((hold) => hold.kind === 'offer');
    const sleptAt = Date.now();
    await env.sleep((living ? options.stepMinutes : DRAIN_STEP_MINUTES) * MINUTE);
    if (process.env.RECONTACT_SIM_DEBUG)
      console.error(
        `step ${step}: queue ${waiting.length} holds ${holds.length} talking ${talking.size} sleep ${Date.now() - sleptAt} ms, total ${Date.now() - started} ms`,
      );
    if (!living && talking.size === 0) {
      // describe(), not the status query: querying a closed run replays its whole history.
      const open = await Promise.all(
        [...new Set(workflowOf.values())].map(
          async (id) => (await stack.temporal.workflow.getHandle(id).describe()).status.name,
        ),
      );
      if (open.every((state) => state !== 'RUNNING')) break;
    }
  }
  stack.sandbox.clearFaults();
  // Every run has closed, so every conversation has ended too: the people on the phone only hang
  // up when the driver sees the run on the call. A call still live now is one no run owns.
  const live = stack.sandbox.outbox
    .snapshot()
    .calls.filter((call) => call.parentCallSid === null && call.endTime === null);
  const call = live[0];
  if (call !== undefined) {
    const attempt = call.statusCallback ? new URL(call.statusCallback).searchParams.get('attemptKey') : null;
    const legs = call.legs.map((leg) => `${leg.to} ${leg.status}${leg.endTime === null ? ' (live)' : ''}`);
    throw new InvariantBroken(
      `seed ${options.seed}: invariant "no call outlives its run" broken: ${live.length} call(s) still ` +
        `live after every run closed; the first, ${call.sid} to ${call.to} (${call.status}) for attempt ` +
        `${attempt}, has legs [${legs.join(', ')}] (replay with RECONTACT_SIM_SEED=${options.seed})`,
    );
  }
  await stack.sandbox.idle();

  return checkInvariants(stack, options, { workflowOf, runIds, abandons, started });
}

async function checkInvariants(
  stack: CallbackStack,
  options: LifeOptions,
  life: {
    workflowOf: Map<string, string>;
    runIds: Map<string, Set<string>>;
    abandons: number;
    started: number;
  },
): Promise<LifeReport> {
  const broken = (invariant: string, runId: string, detail: string): never => {
    throw new InvariantBroken(
      `seed ${options.seed}: invariant "${invariant}" broken by run ${runId}: ${detail} ` +
        `(replay with RECONTACT_SIM_SEED=${options.seed})`,
    );
  };
  const policy = loadContactPolicy(stack.config.CONTACT_POLICY_FILE);
  const outbox = stack.sandbox.outbox.snapshot();
  const calls = outbox.calls.filter(
    (call) => call.parentCallSid === null && call.direction === 'outbound-api',
  );
  const keyOf = (url: string | null): string | undefined =>
    url === null ? undefined : (new URL(url).searchParams.get('attemptKey') ?? undefined);
  const outcomes: Record<string, number> = {};
  let longestHistory = 0;
  let runs = 0;

  // Every run of every customer's callback, following continue-as-new from each run seen.
  for (const [workflowId, seen] of life.runIds) {
    const chain = new Set(seen);
    const queue = [...seen];
    while (queue.length > 0) {
      const runId = queue.shift() as string;
      const handle = stack.temporal.workflow.getHandle(workflowId, runId);
      const events = (await handle.fetchHistory()).events ?? [];
      runs += 1;
      longestHistory = Math.max(longestHistory, events.length);
      if (events.length > CALLBACK_HISTORY_BOUND)
        broken('history bounded', runId, `${events.length} events > ${CALLBACK_HISTORY_BOUND}`);
      // No run closes (or continues as new) while one of its activities may still send or dial.
      const closed = new Set(
        events
          .map(
            (event) =>
              event.activityTaskCompletedEventAttributes?.scheduledEventId ??
              event.activityTaskFailedEventAttributes?.scheduledEventId ??
              event.activityTaskTimedOutEventAttributes?.scheduledEventId ??
              event.activityTaskCanceledEventAttributes?.scheduledEventId,
          )
          .filter((id) => id !== undefined && id !== null)
          .map(String),
      );
      for (const event of events) {
        const type = event.activityTaskScheduledEventAttributes?.activityType?.name;
        if (type !== undefined && type !== null && !closed.has(String(event.eventId)))
          broken(
            'no activity outlives its run',
            runId,
            `${type} (event ${String(event.eventId)}) never ended`,
          );
      }
      const last = events[events.length - 1];
      const next = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (next) {
        if (!chain.has(next)) {
          chain.add(next);
          queue.push(next);
        }
        continue;
      }
      // Exactly one final outcome: the run completed (not failed, not still running, not timed out).
      const completed = last?.workflowExecutionCompletedEventAttributes;
      if (completed === undefined || completed === null)
        broken(
          'one final outcome',
          runId,
          `the run did not complete (last event ${String(last?.eventType)})`,
        );
      const result = (await decode(completed?.result?.payloads?.[0])) as { outcome?: string } | undefined;
      outcomes[result?.outcome ?? 'none'] = (outcomes[result?.outcome ?? 'none'] ?? 0) + 1;

      // What the run's history says it sent or dialled (an activity that completed and did not
      // answer "held": the final contact decision may hold a send, and then nothing reached the
      // provider), the outbox shows.
      const finished = new Set<string>();
      for (const event of events) {
        const completedTask = event.activityTaskCompletedEventAttributes;
        if (completedTask?.scheduledEventId === undefined || completedTask.scheduledEventId === null)
          continue;
        const answer = (await decode(completedTask.result?.payloads?.[0])) as { sent?: boolean } | undefined;
        if (answer?.sent !== false) finished.add(String(completedTask.scheduledEventId));
      }
      for (const event of events) {
        const scheduled = event.activityTaskScheduledEventAttributes;
        const type = scheduled?.activityType?.name;
        if (type !== 'sendSms' && type !== 'placeCall') continue;
        if (!finished.has(String(event.eventId))) continue;
        const input = (await decode(scheduled?.input?.payloads?.[0])) as { attemptKey: string };
        if (
          type === 'sendSms' &&
          !outbox.messages.some((message) => keyOf(message.statusCallback) === input.attemptKey)
        )
          broken('a sent SMS is in the outbox', runId, `no SMS for ${input.attemptKey}`);
        if (type === 'placeCall') {
          if (!calls.some((call) => keyOf(call.statusCallback) === input.attemptKey))
            broken('a placed call is in the outbox', runId, `no call for ${input.attemptKey}`);
          // Every call inside the window the policy allows at that instant (the server's clock).
          const at = new Date(Number(event.eventTime?.seconds ?? 0) * 1_000).toISOString();
          const decision = decideContact(
            contactRequestSchema.parse({
              contact: {
                phone: '+12125550000',
                country: 'US',
                timeZone: 'America/New_York',
                candidateTimeZones: [],
              },
              channel: 'voice',
              purpose: 'callback',
              now: at,
            }),
            policy,
          );
          if (decision.verdict !== 'allowed') broken('calls inside the window', runId, `dialled at ${at}`);
        }
      }
    }
  }

  // One provider resource per attempt: no key dialled twice, no message SID shared by two keys.
  const callsPerKey = new Map<string, number>();
  for (const call of calls) {
    const key = keyOf(call.statusCallback);
    if (key !== undefined) callsPerKey.set(key, (callsPerKey.get(key) ?? 0) + 1);
  }
  for (const [key, count] of callsPerKey)
    if (count > 1) broken('one call per attempt', key, `${count} calls`);
  const smsKeys = outbox.messages
    .map((message) => keyOf(message.statusCallback))
    .filter((key) => key !== undefined);
  if (new Set(smsKeys).size !== smsKeys.length)
    broken('one SMS per attempt', '-', 'an SMS key was sent twice');

  // No agent held by a closed run (every run is closed now), none holding two (the store's key).
  const holds = await stack.services.store.listAgentHolds();
  const simHolds = holds.filter((hold) => [...life.workflowOf.values()].includes(hold.workflowId));
  if (simHolds.length > 0)
    broken('no agent held by a closed run', simHolds[0]?.workflowId ?? '-', `${simHolds.length} holds left`);

  // No live conversation ended by the system.
  for (const call of calls) {
    for (const leg of call.legs) {
      if (leg.hungUpBy === 'api')
        broken('no conversation hung up by the system', keyOf(call.statusCallback) ?? call.sid, leg.sid);
    }
  }

  return {
    seed: options.seed,
    abandons: life.abandons,
    runs,
    outcomes,
    calls: calls.length,
    sms: outbox.messages.filter((message) => message.direction === 'outbound-api').length,
    longestHistory,
    outageRefusals: outbox.requests.filter((request) => request.status === 503).length,
    realSeconds: Math.round((Date.now() - life.started) / 1000),
  };
}
