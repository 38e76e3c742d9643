import type { KpiSettings } from './kpi-query';

/** One SMS or call as the cost figures read it (store table `provider_reports`). */
export interface ProviderSend {
  attemptKey: string;
  channel: 'sms' | 'voice';
  purpose: string;
  /** Epoch ms it was handed to the provider. */
  at: number;
  status: string;
  segments: number | null;
  durationSeconds: number | null;
  /** The provider's price when it reported one (Twilio's is negative: money spent). */
  price: number | null;
}

export interface OutreachCost {
  smsSegments: number;
  callMinutes: number;
  /** Sends whose cost is the provider's reported price, not segments or minutes at our prices. */
  providerPriced: number;
  cost: number;
}

/**
 * What one send cost: the provider's price when it reported one; else segments × the SMS price
 * (a segment when the count is unknown) or whole minutes × the call price (per call, rounded up, as
 * Twilio bills; a call never answered lasted 0 s and costs nothing).
 */
export function sendCost(send: ProviderSend, settings: KpiSettings): OutreachCost {
  const smsSegments = send.channel === 'sms' && send.status !== 'failed' ? (send.segments ?? 1) : 0;
  const callMinutes = send.channel === 'voice' ? Math.ceil((send.durationSeconds ?? 0) / 60) : 0;
  if (send.price !== null) {
    return { smsSegments, callMinutes, providerPriced: 1, cost: Math.abs(send.price) };
  }
  return {
    smsSegments,
    callMinutes,
    providerPriced: 0,
    cost: smsSegments * settings.smsPricePerSegment + callMinutes * settings.callPricePerMinute,
  };
}

/** The sum of the sends' costs. */
export function outreachCost(sends: readonly ProviderSend[], settings: KpiSettings): OutreachCost {
  const total: OutreachCost = { smsSegments: 0, callMinutes: 0, providerPriced: 0, cost: 0 };
  for (const send of sends) {
    const one = sendCost(send, settings);
    total.smsSegments += one.smsSegments;
    total.callMinutes += one.callMinutes;
    total.providerPriced += one.providerPriced;
    total.cost += one.cost;
  }
  // Sums of prices like 0.0079 drift in binary: round to a hundredth of a cent.
  total.cost = Math.round(total.cost * 10_000) / 10_000;
  return total;
}
