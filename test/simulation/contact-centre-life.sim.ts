import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startCallbackStack, type CallbackStack } from '../harness/callbacks';
import { createTimeSkippingEnv } from '../harness/temporal';
import { playLife, type LifeOptions } from './contact-centre-life';

/**
 * Issue 11's proof: a seeded contact-centre life on the time-skipping server with the real worker,
 * store and Twilio sandbox; invariants from the outbox, the store and the histories
 * (test/simulation/contact-centre-life.ts). `RECONTACT_SIM_SEED=<n>` replays a seed.
 * `npm run soak` (RECONTACT_SIM_SOAK=<lives>) plays longer lives with fresh seeds (or seeds
 * RECONTACT_SIM_SEED, +1, … when it is set) and prints each life's report.
 */
const soak = Number(process.env.RECONTACT_SIM_SOAK ?? 0);
const lives: LifeOptions[] =
  soak > 0
    ? Array.from({ length: soak }, (_, index) => ({
        seed: process.env.RECONTACT_SIM_SEED
          ? Number(process.env.RECONTACT_SIM_SEED) + index
          : Math.floor(Math.random() * 2 ** 31),
        customers: 32,
        agents: 6,
        days: 3,
        stepMinutes: 30,
      }))
    : [
        {
          seed: Number(process.env.RECONTACT_SIM_SEED ?? 20261129),
          customers: 16,
          agents: 4,
          days: 2,
          stepMinutes: 30,
        },
      ];

describe('a contact centre’s life (seeded simulation, time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let stack: CallbackStack;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    // Calls only 08:00–20:00 New York time: the window is part of what the invariants check.
    // The driver's agents look at their desk once a step (30 simulated minutes): offers last the
    // longest the configuration allows, so some are answered and some still expire, instead of
    // sixty offers a step expiring unseen (each costs real time while the clock cannot skip).
    stack = await startCallbackStack(env, {
      policy: 'new-york-centre',
      config: { CALLBACK_OFFER_SECONDS: '600' },
    });
  }, 60_000);
  afterEach(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  it.each(lives)(
    'keeps every promise through returning customers, long calls, an outage and a wrong agent number (seed $seed, $customers customers, $days days)',
    async (life) => {
      const report = await playLife(env, stack, life);
      console.log(`simulation ${JSON.stringify(report)}`);
      expect(report.abandons).toBeGreaterThan(life.customers);
      expect(report.outcomes.connected ?? 0).toBeGreaterThan(0);
      expect(report.outageRefusals).toBeGreaterThan(0);
    },
    soak > 0 ? 3_600_000 : 400_000,
  );
});
