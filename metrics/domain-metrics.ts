import { Counter, Histogram, Registry } from 'prom-client';

/**
 * What Recontact did, as Prometheus counters and histograms (docs/metrics.md). One set per process,
 * handed to the activities that count and to the server that serves `/metrics`.
 */
export function createDomainMetrics(registry: Registry = new Registry()) {
  return {
    registry,
    /** Abandons decided, by action (`ignore`, `callback`, `recovery`, `sms-only`) and reason. */
    abandons: new Counter({
      name: 'recontact_abandons_total',
      help: 'Abandoned calls decided, by decision and reason',
      labelNames: ['decision', 'reason'] as const,
      registers: [registry],
    }),
    /** Callback runs finished, by outcome and origin. */
    callbacks: new Counter({
      name: 'recontact_callbacks_total',
      help: 'Callback runs finished, by outcome and origin',
      labelNames: ['outcome', 'origin'] as const,
      registers: [registry],
    }),
    /** Sends by channel and how they went: `sent`, `held` (policy), `failed` (for good). */
    sends: new Counter({
      name: 'recontact_sends_total',
      help: 'SMS, calls and e-mails, by channel and outcome (sent, held, failed)',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    /** Final decisions that held a send back until later, by the policy's reason. */
    deferrals: new Counter({
      name: 'recontact_policy_deferrals_total',
      help: 'Sends the contact policy deferred at the moment of contact, by reason',
      labelNames: ['channel', 'reason'] as const,
      registers: [registry],
    }),
    /** Offers made to agents by the dispatcher. */
    offers: new Counter({
      name: 'recontact_offers_total',
      help: 'Callbacks offered to an agent',
      registers: [registry],
    }),
    /** Claims: an agent held for a callback's call (after accepting an offer or claiming it). */
    claims: new Counter({
      name: 'recontact_claims_total',
      help: 'Callbacks claimed by an agent (the agent held for the call)',
      registers: [registry],
    }),
    /** Seconds from a callback entering the agent queue to each offer of it. */
    offerLatency: new Histogram({
      name: 'recontact_offer_latency_seconds',
      help: 'Seconds from a callback entering the agent queue to an offer to an agent',
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    }),
    /** Seconds from the claim (the agent held for the call) to the call request the provider accepted. */
    claimToCall: new Histogram({
      name: 'recontact_claim_to_call_seconds',
      help: 'Seconds from an agent claiming a callback to the provider accepting the call',
      buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    /** Minutes from the abandon to the conversation, per connected callback. */
    abandonToConversation: new Histogram({
      name: 'recontact_abandon_to_conversation_minutes',
      help: 'Minutes from the abandon to the first conversation with an agent',
      buckets: [5, 15, 30, 60, 120, 240, 480, 1440, 2880],
      registers: [registry],
    }),
  };
}

export type DomainMetrics = ReturnType<typeof createDomainMetrics>;
