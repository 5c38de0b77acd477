/**
 * Incremental sync: the changes a sync yields, the state it keeps between runs, and the store that keeps it.
 *
 * The shapes are those `@org/gc-data/postgres` takes (`warehouse.apply(changes, { state })`), declared here so the
 * core SDK needs no database module: a batch of changes and its `SyncStateWrite` go to the warehouse as they are.
 */
import type { AnalyticsConversation } from '../analytics/schemas';
import type { EvaluationResponse } from '../quality/schemas';

/** An evaluation is new or changed: `row` is its document as the Quality API returned it. */
export interface EvaluationUpsertChange {
  op: 'upsert';
  row: EvaluationResponse;
  /** ISO UTC: the evaluation's `changedDate` (else the discovery `eventTime`). */
  changedAt: string;
}

/** An evaluation is gone: deleted, no longer in the sync's filter, or vanished from discovery (docs/warehouse.md, "Sync rules"). */
export interface EvaluationDeleteChange {
  op: 'delete';
  evaluationId: string;
  /** ISO UTC: the platform's `eventTime` of the deletion or status change, or the run's time when it vanished. */
  at: string;
  /** Why: `deleted` (flagged by the platform or a 404), `left-filter` (e.g. no longer Finished), `vanished` (no longer discovered). */
  reason: 'deleted' | 'left-filter' | 'vanished';
}

export type EvaluationSyncChange = EvaluationUpsertChange | EvaluationDeleteChange;

/** A conversation is new or changed in the analytics jobs API (keyed by `conversationId`). */
export interface ConversationUpsertChange {
  op: 'upsert';
  row: AnalyticsConversation;
  /** ISO UTC: the data availability date the run read it under. */
  changedAt: string;
}

export type ConversationSyncChange = ConversationUpsertChange;

/**
 * State to commit with a batch: fingerprints per key (`null` removes the key) and watermarks per window (`null`
 * clears the watermark). The same shape as `@org/gc-data/postgres`'s `SyncStateWrite`.
 */
export interface SyncStateWrite {
  fingerprints?: ReadonlyArray<{ stream: string; key: string; fingerprint: string | null }>;
  watermarks?: ReadonlyArray<{ stream: string; window: string; watermark: string | null; state?: unknown }>;
}

/** What a store holds for one stream. */
export interface SyncStateSnapshot {
  /** Per key (evaluationId, conversationId): the fingerprint of what the destination holds. */
  fingerprints: Map<string, string>;
  /** Per window: the watermark (ISO UTC, or null) and the sync's own notes. */
  watermarks: Map<string, { watermark: string | null; state: unknown }>;
}

/** A batch of changes and the state that is true once they are applied. */
export interface SyncBatch<C> {
  changes: C[];
  state: SyncStateWrite;
  /**
   * Only to a `pipelined` store: the batch handed over before this one, still being written. Commit this one only if
   * it resolves (the Postgres store passes it as `warehouse.apply(..., { after })`). Undefined when none is in flight.
   */
  after?: Promise<void>;
}

/**
 * Where a sync keeps its state between runs. The sync loads a stream's state once at the start of a run, and
 * commits each batch's state only after the batch is applied, so a run killed at any point and started again
 * delivers every change exactly once (see `commit`).
 */
export interface SyncStateStore {
  /** `file`, `postgres`, or your own. */
  readonly kind: string;
  /** Everything stored for `stream`. */
  load(stream: string): Promise<SyncStateSnapshot>;
  /**
   * Makes `write` durable. The sync calls it right after your `apply(batch)` resolved; nothing runs between the two
   * (no request, no abort check), so an abort never separates them. Only a process killed in that instant (kill -9,
   * power loss) re-delivers that one batch on the next run: make `apply` idempotent (an upsert by id), or use a
   * store that is also the destination (below), where changes and state commit in one transaction.
   */
  commit(write: SyncStateWrite): Promise<void>;
  /**
   * Stores that are the destination too (the Postgres warehouse): apply the batch and commit its state in one
   * transaction. Used when the sync is given no `apply`.
   */
  applyEvaluations?(batch: SyncBatch<EvaluationSyncChange>): Promise<void>;
  applyConversations?(batch: SyncBatch<ConversationSyncChange>): Promise<void>;
  /**
   * Its applyEvaluations / applyConversations take the next batch before the previous one has settled, commit
   * batches in call order, and roll a batch back when the one it follows (`batch.after`) failed (postgresSyncState). The sync then hands
   * the next batch over while the previous one is written (two in flight). @default false (one batch at a time)
   */
  readonly pipelined?: boolean;
}

/**
 * The options both syncs take (`exporter.sync()`: QualitySyncOptions, `reports.sync()`: ConversationSyncOptions),
 * checked by syncOptionsShape in src/sync/run.ts; each sync adds its own keys and its default `stream`.
 */
export interface SyncRunOptions<C> {
  /** How far back the window reaches: ISO-8601 duration (days or less) or ms. @default 'P30D' */
  lookback?: string | number;
  /** Where the fingerprints and watermarks live between runs (FileSyncStateStore, postgresSyncState(warehouse), ...). */
  state: SyncStateStore;
  /**
   * Applies one batch to your destination; its state is committed when this resolves. Optional when `state` is also
   * the destination (postgresSyncState): then the batch and its state are written in one transaction.
   */
  apply?: (batch: SyncBatch<C>) => Promise<void> | void;
  /** State stream name: one per destination (and per configuration). @default each sync's own (see its options) */
  stream?: string;
  /** End of the window (the run's time): epoch ms, ISO, Date, or a function. @default the current time (the client's clock) */
  now?: number | string | Date | (() => number);
  /** Changes per batch (1 to 100000). @default 500 */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
}

/** Progress of a sync run, after each window and each applied batch. */
export interface SyncProgress {
  operation: 'quality.sync' | 'analytics.sync';
  stream: string;
  /** The window being worked on (a UTC day `YYYY-MM-DD` for evaluations, the whole look-back for conversations). */
  window: string;
  windowsDone: number;
  windowsTotal: number;
  discovered: number;
  new: number;
  changed: number;
  deleted: number;
  unchanged: number;
  /** Evaluation GETs sent (quality) / conversations read from job results (analytics). */
  fetched: number;
  batches: number;
}

export interface SyncSummary {
  stream: string;
  /** The look-back window this run covered, ISO `start/end`. */
  window: string;
  new: number;
  changed: number;
  deleted: number;
  unchanged: number;
  /** Discovered but outside the filter and never synced (nothing to do). */
  ignored: number;
  discovered: number;
  /** Evaluation GETs (quality) or job-result conversations (analytics). */
  fetched: number;
  /** Keys whose window fell out of the look-back this run (their state was dropped). */
  aged: number;
  batches: number;
  /** Requests the run sent (from the client's counters). */
  requests: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}
