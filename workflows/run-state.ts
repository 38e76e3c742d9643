import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';

// What every long-running outreach (callback, reminder series, courtesy) keeps about itself for
// people: a timeline for its status query, search attributes and a one-line memo for the Temporal UI.

/** One step of a run, as its status query shows it. */
export interface TimelineEntry<State extends string = string> {
  /** ISO instant (workflow time). */
  at: string;
  /** A short machine word: decided, offered, claimed, reminder-sent, rescheduled, … */
  step: string;
  /** One sentence (or a label) for people; never a phone number or an address. */
  detail?: string;
  /** Where the run stood when it happened (callbacks). */
  state?: State;
  /** The agent an offer, claim or conversation step is about. */
  agentId?: string;
}

/** A run's timeline, oldest first, keeping the latest `limit` entries: a query must stay small. */
export class Timeline<State extends string = string> {
  readonly entries: TimelineEntry<State>[];

  constructor(
    carried: readonly TimelineEntry<State>[] = [],
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {
    this.entries = [...carried];
  }

  /** Adds a step at the workflow's now. */
  add(step: string, fields: Omit<TimelineEntry<State>, 'at' | 'step'> = {}): void {
    this.entries.push({ at: new Date(Date.now()).toISOString(), step, ...fields });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }
}

/**
 * Shows where a run stands in the Temporal UI: its search attributes, then the memo's summary. The
 * memo is not encrypted: a summary holds no number, address or name.
 */
export function showRun(attributes: SearchAttributeUpdatePair[], summary: string): void {
  upsertSearchAttributes(attributes);
  upsertMemo({ summary });
}
