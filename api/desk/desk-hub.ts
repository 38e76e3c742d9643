import { setMaxListeners } from 'node:events';
import type { Client } from '@temporalio/client';
import type { CallbackClient } from '../../client/callbacks';
import type { ContactStore } from '../../store';
import type { CallbackStatus } from '../../workflows/callback-messages';
import { searchAttributes } from '../../workflows/search-attributes';
import type { DeskSnapshot, TodayCounts } from './desk-views';

export interface DeskHubOptions {
  store: ContactStore;
  callbacks: CallbackClient;
  temporal: Client;
  /** How often the store (queue, holds, agents) and the queued callbacks' statuses are read. @default 1000 */
  storeIntervalMs?: number;
  /** How often the open callbacks are listed from visibility. @default 3000 */
  visibilityIntervalMs?: number;
  /** How often today's counts are recomputed. @default 15000 */
  countsIntervalMs?: number;
  /** Where failed reads are reported; the previous snapshot stays in use. */
  onError?: (error: unknown) => void;
  clock?: () => number;
}

type Listener = (snapshot: DeskSnapshot) => void;

const CALLBACKS = 'WorkflowType = "abandonedCallCallback"';
/** The most statuses queried per tick: a queue longer than this shows the rest without context. */
const MAX_STATUS_QUERIES = 200;
const TEMPORAL_CALL_DEADLINE_MS = 8_000;

/**
 * The desk's one subscription per server process: a single poller reads the store and Temporal
 * and fans the snapshot out to every open page, so ten or a thousand agents cost the same reads.
 * It polls only while a page listens; an action (claim, presence) pokes it for an immediate read.
 */
export class DeskHub {
  private readonly listeners = new Set<Listener>();
  private snapshot: DeskSnapshot | undefined;
  private refreshing: Promise<DeskSnapshot> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /**
   * Cancels the current read's Temporal calls on stop. One per read: the SDK adds a listener per
   * call and never removes it, so a process-long signal would collect them forever.
   */
  private abort = new AbortController();
  private readonly clock: () => number;
  private readonly storeIntervalMs: number;
  private readonly visibilityIntervalMs: number;
  private readonly countsIntervalMs: number;

  constructor(private readonly options: DeskHubOptions) {
    this.clock = options.clock ?? Date.now;
    this.storeIntervalMs = options.storeIntervalMs ?? 1_000;
    this.visibilityIntervalMs = options.visibilityIntervalMs ?? 3_000;
    this.countsIntervalMs = options.countsIntervalMs ?? 15_000;
  }

  /** Calls `listener` with every new snapshot (and at once with the current one). @returns unsubscribe */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.snapshot !== undefined) listener(this.snapshot);
    this.schedule(0);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Something changed (an agent acted): read again now, visibility and counts included, not at the next tick. */
  poke(): void {
    if (this.snapshot !== undefined) this.snapshot = { ...this.snapshot, openAt: 0, countsAt: 0 };
    this.schedule(0);
  }

  /** A snapshot no older than `maxAgeMs`: what one-off requests (a claim's check, a page's first load) read. */
  async current(maxAgeMs = this.storeIntervalMs): Promise<DeskSnapshot> {
    const snapshot = this.snapshot;
    if (snapshot !== undefined && this.clock() - snapshot.at <= maxAgeMs) return snapshot;
    return this.refresh();
  }

  /** Ends polling; listeners are dropped (their pages reconnect to the next server). */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.listeners.size === 0) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.schedule(this.storeIntervalMs));
    }, delayMs);
  }

  /** One read; concurrent callers share it. */
  private refresh(): Promise<DeskSnapshot> {
    this.refreshing ??= this.read().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** A Temporal call bounded in time (a slow query must not stall every page) and cancelled by stop(). */
  private temporalCall<T>(fn: () => Promise<T>): Promise<T> {
    const { connection } = this.options.temporal;
    return connection.withAbortSignal(this.abort.signal, () =>
      connection.withDeadline(this.clock() + TEMPORAL_CALL_DEADLINE_MS, fn),
    );
  }

  private async read(): Promise<DeskSnapshot> {
    const { store } = this.options;
    this.abort = new AbortController();
    setMaxListeners(MAX_STATUS_QUERIES + 10, this.abort.signal);
    const previous = this.snapshot;
    const [queue, holds, agents] = await Promise.all([
      store.listCallbackQueue(),
      store.listAgentHolds(),
      store.listAgents(),
    ]);
    const ids = [
      ...new Set([...holds.map((hold) => hold.workflowId), ...queue.map((entry) => entry.workflowId)]),
    ];
    const statuses = new Map<string, CallbackStatus>();
    await Promise.all(
      ids.slice(0, MAX_STATUS_QUERIES).map(async (workflowId) => {
        try {
          statuses.set(
            workflowId,
            await this.temporalCall(() => this.options.callbacks.status({ workflowId })),
          );
        } catch (error) {
          // A run that just ended leaves the queue at the next read; report anything else.
          const old = previous?.statuses.get(workflowId);
          if (old !== undefined) statuses.set(workflowId, old);
          else this.options.onError?.(error);
        }
      }),
    );
    const now = this.clock();
    let open = previous?.open ?? [];
    let openAt = previous?.openAt ?? 0;
    if (now - openAt >= this.visibilityIntervalMs) {
      try {
        open = await this.temporalCall(() => this.options.callbacks.list({ open: true, limit: 500 }));
        openAt = now;
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    let counts = previous?.counts ?? null;
    let countsAt = previous?.countsAt ?? 0;
    if (now - countsAt >= this.countsIntervalMs) {
      try {
        counts = await this.temporalCall(() => this.todayCounts(now));
        countsAt = now;
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    const snapshot: DeskSnapshot = {
      at: now,
      queue,
      holds,
      agents,
      statuses,
      open,
      openAt,
      counts,
      countsAt,
    };
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }

  /** Today's counts (UTC day) from visibility: three counts and one bounded list. */
  private async todayCounts(now: number): Promise<TodayCounts> {
    const dayStart = new Date(now);
    dayStart.setUTCHours(0, 0, 0, 0);
    const since = dayStart.toISOString();
    const closedToday = `${CALLBACKS} AND ExecutionStatus != "Running" AND CloseTime >= "${since}"`;
    const count = async (query: string) => (await this.options.temporal.workflow.count(query)).count;
    const [requested, completed, expired] = await Promise.all([
      count(`${CALLBACKS} AND StartTime >= "${since}"`),
      count(`${closedToday} AND Outcome = "connected"`),
      count(`${closedToday} AND Outcome = "expired"`),
    ]);
    const durations: number[] = [];
    for await (const execution of this.options.temporal.workflow.list({
      query: `${closedToday} AND Outcome = "connected"`,
    })) {
      const requestedAt =
        execution.typedSearchAttributes.get(searchAttributes.RequestedAt) ?? execution.startTime;
      if (execution.closeTime !== undefined) {
        durations.push((execution.closeTime.getTime() - requestedAt.getTime()) / 1_000);
      }
      if (durations.length >= 500) break;
    }
    const averageSecondsToCallback =
      durations.length === 0
        ? null
        : Math.round(durations.reduce((sum, value) => sum + value, 0) / durations.length);
    return { requested, completed, expired, averageSecondsToCallback };
  }
}
