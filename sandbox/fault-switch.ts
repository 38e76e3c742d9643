import { z } from 'zod';

export const faultSchema = z.object({
  /** 503: the API is unavailable; 429: too many requests (Twilio error 20429). */
  status: z.union([z.literal(503), z.literal(429)]),
  /** For how long, from now. */
  seconds: z.number().positive().max(3600),
});
export type Fault = z.infer<typeof faultSchema>;

/** Makes the Twilio API answer 503 or 429 for a while, so tests can watch retries and recovery. */
export class FaultSwitch {
  private active: { status: 503 | 429; until: number } | undefined;

  inject(fault: Fault): { status: 503 | 429; until: number } {
    this.active = { status: fault.status, until: Date.now() + fault.seconds * 1000 };
    return this.active;
  }

  clear(): void {
    this.active = undefined;
  }

  /** The fault in force now, if any. */
  current(): { status: 503 | 429; until: number } | undefined {
    if (this.active !== undefined && Date.now() >= this.active.until) this.active = undefined;
    return this.active;
  }
}
