import { setMaxListeners } from 'node:events';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CallbackClient } from '../../client/callbacks';
import type { ContactStore, PageRequest, SupervisorFilter } from '../../store';
import { searchAttributes } from '../../workflows/search-attributes';
import {
  agentView,
  deskRowOfStatus,
  supervisorView,
  type AgentView,
  type DeskSnapshot,
  type SupervisorView,
  type TodayCounts,
} from './desk-views';

export interface DeskHubOptions {
  store: ContactStore;
  callbacks: CallbackClient;
  temporal: Client;
  /** How often the store (holds, agents, every open page's list) is read. @default 1000 */
  storeIntervalMs?: number;
  /**
   * How often the desk looks for callbacks of runs started before the read model (queued or held
   * without a desk row) and asks at most `legacyQueriesPerPass` of them for their status. @default 5000
   */
  legacyIntervalMs?: number;
  /** @default 25 */
  legacyQueriesPerPass?: number;
  /** How often today's counts are recomputed. @default 15000 */
  countsIntervalMs?: number;
  /** Where failed reads are reported; the previous snapshot stays in use. */
  onError?: (error: unknown) => void;
  clock?: () => number;
}

type Listener = (snapshot: DeskSnapshot) => void;

const CALLBACKS = 'WorkflowType = "abandonedCallCallback"';
const TEMPORAL_CALL_DEADLINE_MS = 8_000;
/** A legacy row (written from a run's query) is asked again when older than this. */
const LEGACY_REFRESH_MS = 15_000;

/**
 * The desk's one subscription per server process: a single poller reads the store (holds, agents,
 * the held callbacks' desk rows) and fans the snapshot out to every open page, each of which reads
 * its own page of the list from the store's read model (`desk_callbacks`, written by the runs).
 * No run is queried per poll: only runs started before the read model, a bounded few per pass
 * (the legacy backfill), and today's counts from visibility every 15 s.
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
  private readonly legacyIntervalMs: number;
  private readonly legacyQueriesPerPass: number;
  private readonly countsIntervalMs: number;
  private legacyAt = 0;

  constructor(private readonly options: DeskHubOptions) {
    this.clock = options.clock ?? Date.now;
    this.storeIntervalMs = options.storeIntervalMs ?? 1_000;
    this.legacyIntervalMs = options.legacyIntervalMs ?? 5_000;
    this.legacyQueriesPerPass = options.legacyQueriesPerPass ?? 25;
    this.countsIntervalMs = options.countsIntervalMs ?? 15_000;
  }

  /** One agent's view with one page of what they may claim, from `snapshot` and the store. */
  async agentView(agentId: string, page: PageRequest, snapshot?: DeskSnapshot): Promise<AgentView> {
    const shared = snapshot ?? (await this.current());
    const now = this.clock();
    const agent = shared.agents.find((candidate) => candidate.id === agentId);
    const claimable =
      agent === undefined ? undefined : await this.options.store.claimablePage(agent, page, now);
    return agentView(shared, agentId, now, claimable);
  }

  /** The supervisor's view with one page of the open callbacks (filtered), from `snapshot` and the store. */
  async supervisorView(
    filter: SupervisorFilter,
    page: PageRequest,
    snapshot?: DeskSnapshot,
  ): Promise<SupervisorView> {
    const shared = snapshot ?? (await this.current());
    return supervisorView(shared, await this.options.store.supervisedPage(filter, page));
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
    if (this.snapshot !== undefined) this.snapshot = { ...this.snapshot, countsAt: 0 };
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
    // The SDK adds a listener per call: the legacy backfill's and the counts' calls run together.
    setMaxListeners(this.legacyQueriesPerPass * 2 + 10, this.abort.signal);
    const previous = this.snapshot;
    const now = this.clock();
    if (now - this.legacyAt >= this.legacyIntervalMs) {
      this.legacyAt = now;
      try {
        await this.backfillLegacy(now);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    const [holds, agents, stored] = await Promise.all([
      store.listAgentHolds(),
      store.listAgents(),
      store.deskChangeStamp(),
    ]);
    const held = await store.deskCallbacksOf(holds.map((hold) => hold.workflowId));
    const stamp = JSON.stringify([
      stored,
      holds.map((hold) => [hold.agentId, hold.workflowId, hold.kind, hold.expiresAt]),
      agents.map((agent) => [agent.id, agent.presence, agent.updatedAt, agent.presenceChangedAt]),
      [...held.values()].map((row) => row.version),
    ]);
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
    const snapshot: DeskSnapshot = { at: now, holds, agents, held, stamp, counts, countsAt };
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }

  /**
   * Runs started before the read model write no desk row: the desk asks a bounded few of them per
   * pass (queued or held ones without a row first, then legacy rows due a refresh) and writes their
   * rows itself. Once those runs have ended, this finds nothing and asks nobody.
   */
  private async backfillLegacy(now: number): Promise<void> {
    const { store, callbacks, temporal } = this.options;
    const ids = await store.deskCallbacksToBackfill(this.legacyQueriesPerPass, now - LEGACY_REFRESH_MS);
    await Promise.all(
      ids.map(async (workflowId) => {
        try {
          // A closed run (a terminated one too: its query would still answer) leaves the desk.
          const { status: execution } = await this.temporalCall(() =>
            temporal.workflow.getHandle(workflowId).describe(),
          );
          const status =
            execution.name === 'RUNNING'
              ? await this.temporalCall(() => callbacks.status({ workflowId }))
              : undefined;
          await store.recordLegacyDeskCallback(
            workflowId,
            status === undefined || status.state === 'done' ? undefined : deskRowOfStatus(status),
            now,
          );
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) {
            await store.recordLegacyDeskCallback(workflowId, undefined, now);
            return;
          }
          this.options.onError?.(error);
        }
      }),
    );
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
