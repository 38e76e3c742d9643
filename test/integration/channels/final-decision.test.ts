import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type {
  deliverMessage,
  DeliverMessageInput,
  DeliverMessageResult,
} from '../../../workflows/deliver-message';
import { callbackPolicyFile } from '../../harness/policy-files';
import { startChannelStack, type ChannelStack } from '../../harness/channels';
import { createTimeSkippingEnv, eventually } from '../../harness/temporal';
import { testDataConverter } from '../../harness/payload-keys';

const HOUR = 3_600_000;

/**
 * The contact decision is taken again inside the channel activity, right before the provider call
 * (issue 13): a paced backlog that crosses 21:00 in the customers' zone sends nothing after 21:00,
 * and caps hold when several sends to one customer wake together. Judged from the sandbox's outbox.
 */
describe('the final contact decision in the channel activities (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let stack: ChannelStack;
  let plain: Client;
  let dir: string;
  // The channel activities' clock follows the test server's: real time plus the skipped time.
  let offsetMs = 0;
  const serverNow = (): number => Date.now() + offsetMs;
  const skipTo = async (targetMs: number): Promise<void> => {
    const by = targetMs - (await env.currentTimeMs());
    if (by > 0) await env.sleep(by);
    offsetMs = (await env.currentTimeMs()) - Date.now();
  };

  const start = async (overrides: Record<string, string>): Promise<void> => {
    env = await createTimeSkippingEnv();
    const target = {
      client: env.client,
      nativeConnection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
    };
    stack = await startChannelStack(overrides, target, { channelClock: serverNow });
    // A client that never lets the server skip time while it waits: the backlog drains in real time.
    plain = new Client({
      connection: env.connection,
      namespace: env.namespace ?? 'default',
      dataConverter: testDataConverter(),
    });
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'recontact-final-decision-'));
    offsetMs = 0;
  });
  afterEach(async () => {
    await stack?.stop();
    await env?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  let phoneSeq = 0;
  const nextPhone = () => `+1212555${String(1000 + phoneSeq++).padStart(4, '0')}`;
  const outboundTo = (phone: string) =>
    stack.sandbox.outbox
      .listMessages()
      .filter((message) => message.to === phone && message.direction === 'outbound-api');
  const deliver = (input: DeliverMessageInput) =>
    plain.workflow.start<typeof deliverMessage>('deliverMessage', {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `final-decision-${randomUUID()}`,
      args: [input],
    });

  it('a paced backlog that crosses 21:00 in New York sends nothing after 21:00, defers the rest to the morning or lets it expire', async () => {
    // US contact 08:00–21:00 New York time (pinned in the rules file), SMS paced at 2 a second.
    await start({
      CONTACT_POLICY_FILE: callbackPolicyFile(dir, 'new-york-centre'),
      PACING_SMS_PER_SECOND: '2',
    });
    // 21:00 in New York on 15 January of the server's next year: EST (UTC−5) all evening and the
    // next morning, whatever day the suite runs (a date near a DST change would move the close).
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const closeMs = Date.UTC(year, 0, 16, 2, 0, 0);
    await skipTo(closeMs - 15_000);
    const realCloseMs = closeMs - offsetMs;

    // 40 notices at 2 a second take 20 s: the first go within the 15 s left even on a loaded
    // machine, and the last are still in the queue at 21:00.
    const notices = Array.from({ length: 40 }, (_, index) => ({
      phone: nextPhone(),
      // Every other notice is no use after 21:30: held at 21:00, it expires.
      notAfter: index % 2 === 0 ? new Date(closeMs + 30 * 60_000).toISOString() : undefined,
    }));
    const handles = await Promise.all(
      notices.map((notice) =>
        deliver({
          channel: 'sms',
          contact: { phone: notice.phone, timeZone: 'America/New_York', country: 'US' },
          customerKey: `c_${notice.phone.slice(1)}`,
          template: 'sms.notice.service',
          variables: { message: 'The water supply is interrupted tonight.' },
          purpose: 'notice',
          ...(notice.notAfter !== undefined ? { notAfter: notice.notAfter } : {}),
        }),
      ),
    );

    // Every notice is accounted for: sent, waiting for the morning, or expired.
    const evening = await eventually(async () => {
      const states = await Promise.all(handles.map((handle) => stateOf(plain, handle.workflowId)));
      return states.every((state) => state !== 'pending') ? states : undefined;
    }, 45_000);
    const sentInEvening = notices.filter((notice) => outboundTo(notice.phone).length > 0);
    for (const notice of sentInEvening) {
      for (const message of outboundTo(notice.phone))
        expect(message.dateCreated).toBeLessThan(realCloseMs + 250);
    }
    expect(sentInEvening.length).toBeGreaterThan(0);
    expect(sentInEvening.length).toBeLessThan(notices.length);
    const expired = notices.filter((_, index) => evening[index] === 'expired');
    const deferred = notices.filter((_, index) => evening[index] === 'waiting-for-window');
    expect(expired.length).toBeGreaterThan(0);
    expect(deferred.length).toBeGreaterThan(0);
    expect(sentInEvening.length + expired.length + deferred.length).toBe(notices.length);
    for (const notice of expired) {
      expect(notice.notAfter).toBeDefined();
      expect(outboundTo(notice.phone)).toHaveLength(0);
    }

    // The next morning at 08:00 the deferred ones go, once each; the expired ones never do.
    const morningMs = closeMs + 11 * HOUR;
    await skipTo(morningMs + 30_000);
    const realMorningMs = morningMs - offsetMs;
    await eventually(
      async () => (deferred.every((notice) => outboundTo(notice.phone).length === 1) ? true : undefined),
      30_000,
    );
    for (const notice of deferred) {
      expect(outboundTo(notice.phone)[0]?.dateCreated).toBeGreaterThanOrEqual(realMorningMs - 1_000);
    }
    for (const notice of [...sentInEvening, ...deferred]) expect(outboundTo(notice.phone)).toHaveLength(1);
    for (const notice of expired) expect(outboundTo(notice.phone)).toHaveLength(0);
    const results = await Promise.all(
      handles.map((handle, index) =>
        evening[index] === 'waiting-for-window'
          ? eventually(async () =>
              (await stateOf(plain, handle.workflowId)) === 'done' ? handle.result() : undefined,
            )
          : handle.result(),
      ),
    );
    expect(results.filter((result: DeliverMessageResult) => result.outcome === 'expired')).toHaveLength(
      expired.length,
    );
  }, 150_000);

  it('five thank-yous to one customer that wake together send three: the marketing cap of 3 in 7 days holds', async () => {
    await start({});
    const phone = nextPhone();
    const handles = await Promise.all(
      Array.from({ length: 5 }, () =>
        deliver({
          channel: 'sms',
          contact: { phone, timeZone: 'America/New_York', country: 'US' },
          customerKey: `c_${phone.slice(1)}`,
          template: 'sms.courtesy.thanks',
          variables: {},
          purpose: 'courtesy',
        }),
      ),
    );
    await eventually(async () => {
      const states = await Promise.all(handles.map((handle) => stateOf(plain, handle.workflowId)));
      const done = states.filter((state) => state === 'done').length;
      const waiting = states.filter((state) => state === 'waiting-for-window').length;
      return done === 3 && waiting === 2 ? true : undefined;
    }, 30_000);
    expect(outboundTo(phone)).toHaveLength(3);
  }, 90_000);
});

/** Where a deliverMessage run is, read from its search attributes (the Temporal UI's view). */
async function stateOf(
  client: Client,
  workflowId: string,
): Promise<'pending' | 'waiting-for-window' | 'expired' | 'done'> {
  const description = await client.workflow.getHandle(workflowId).describe();
  const attributes = description.searchAttributes as Record<string, unknown[] | undefined>;
  const state = attributes.State?.[0];
  const outcome = attributes.Outcome?.[0];
  if (state === 'waiting-for-window') return 'waiting-for-window';
  if (state === 'done') return outcome === 'expired' ? 'expired' : 'done';
  return 'pending';
}
