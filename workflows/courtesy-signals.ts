import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CourtesyReschedule } from '../domain/courtesy';

// The courtesy outreach's signal and query, defined once for the workflow, the client and the API.

/** Stops the outreach: a pending thank-you is not sent, a yearly occasion does not come again. */
export const cancelCourtesySignal = defineSignal<[{ reason?: string }]>('cancelCourtesy');

/** A thank-you goes at `at` instead; a yearly occasion moves to `month`/`day` from the next outreach on. */
export const rescheduleCourtesySignal = defineSignal<[CourtesyReschedule]>('rescheduleCourtesy');

export interface CourtesyOutreach {
  /** When it began (workflow time), ISO UTC: delivery may take a while after. */
  at: string;
  /** Yearly: the occasion's date that year. */
  occasionDate?: string;
  /** deliverMessage's outcome, or `agent-call-requested`. */
  outcome: string;
  /** Notices: how many recipients ended with each outcome. */
  outcomes?: Record<string, number>;
}

export interface CourtesyStatus {
  type: 'thank-you' | 'yearly' | 'notice';
  state: 'waiting' | 'sending' | 'done';
  /** When the next outreach is due, if one is. */
  nextAt?: string;
  outreaches: CourtesyOutreach[];
  cancelled?: string;
}

export const courtesyStatusQuery = defineQuery<CourtesyStatus>('courtesyStatus');
