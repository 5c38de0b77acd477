/** Public types of `@org/gc-data/postgres` (the implementation is warehouse.ts and the files it names). */
import type { AnalyticsConversation } from '../analytics/schemas';
import type { Clock } from '../internal/clock';
import type { DateInput } from './checker';
import type { WarehouseEvaluationForm, WarehouseQueue, WarehouseUser } from './dimensions';
import type { PgPoolLike, PGliteLike } from './driver';
import type { WarehouseEvaluation } from './evaluation-rows';

/**
 * An evaluation is new or changed on the platform: `row` is its document as the Quality API returns it. The change
 * time is `changedAt`, or else `row.changedDate`. It is applied unless the warehouse already holds a later change
 * of that evaluation (or a deletion at the same time).
 */
export interface EvaluationUpsert {
  op: 'upsert';
  row: WarehouseEvaluation;
  changedAt?: DateInput;
}

/**
 * An evaluation was deleted on the platform (or `at` is when the sync found it gone). Its row stays as a tombstone
 * (`deleted_at` set, the other columns as last loaded) and its question-score rows are removed. An evaluation the
 * warehouse never saw gets a tombstone too, so an older upsert arriving later cannot bring it back.
 */
export interface EvaluationDelete {
  op: 'delete';
  evaluationId: string;
  at: DateInput;
}

/** What `exporter.sync()` yields, and `warehouse.apply()` takes. */
export type EvaluationChange = EvaluationUpsert | EvaluationDelete;

/** A conversation from the analytics details or jobs API, new or changed at `changedAt`. */
export interface ConversationUpsert {
  op: 'upsert';
  row: AnalyticsConversation;
  changedAt: DateInput;
}

/**
 * Sync state written in the same transaction as the batch it belongs to, so the state never runs ahead of (or
 * behind) the tables. `fingerprint: null` removes the key.
 */
export interface SyncStateWrite {
  fingerprints?: ReadonlyArray<{ stream: string; key: string; fingerprint: string | null }>;
  watermarks?: ReadonlyArray<{ stream: string; window: string; watermark: DateInput | null; state?: unknown }>;
}

export interface ApplyOptions {
  /** Sync state to write in the batch's transaction. Default: none. */
  state?: SyncStateWrite;
  /**
   * The promise of a batch handed to this warehouse before this one (what its `apply()` returned): this batch commits
   * only if that one resolved, and is rolled back otherwise (PostgresWarehouseError `reason: 'earlier-batch-failed'`).
   * A sync that hands its next batch over early passes the previous one, so its state never runs ahead of a batch
   * that was not written. Never pass a later batch's promise: it waits for this one. @default none (each batch
   * stands alone: a refused batch is rolled back alone and the batches after it are written)
   */
  after?: PromiseLike<unknown>;
}

export interface ApplySummary {
  /** Changes in the batch. */
  changes: number;
  /** Upserts written (new rows and updated ones). */
  upserted: number;
  /** Deletions written (tombstones set). */
  deleted: number;
  /** Changes not written because the warehouse (or the same batch) already had a later one for that key. */
  skippedOlder: number;
  /** Question-score rows written. */
  questionScores: number;
  durationMs: number;
}

export interface DimensionsInput {
  users?: readonly WarehouseUser[];
  queues?: readonly WarehouseQueue[];
  forms?: readonly WarehouseEvaluationForm[];
}

export interface DimensionsSummary {
  users: number;
  queues: number;
  forms: number;
  questions: number;
}

export interface MigrateResult {
  /** schema_version before (0: a new database). */
  from: number;
  to: number;
  applied: number[];
}

export interface PostgresWarehouseOptions {
  /** `postgres://user:pass@host:port/db`: a PostgreSQL server through `pg` (optional peer dependency). Default: none. */
  connectionString?: string;
  /** Your own `pg.Pool` (the warehouse never ends it). Default: none. */
  pool?: PgPoolLike;
  /**
   * The embedded PostgreSQL (PGlite, optional peer dependency `@electric-sql/pglite`): a data folder, `memory://`,
   * or your own PGlite instance (never closed by the warehouse). One process at a time may open a folder.
   * @default '.gc-data/warehouse' (in the working directory) when neither `connectionString` nor `pool` is given
   */
  pglite?: string | PGliteLike;
  /**
   * Schema for every table. Lowercase letters, digits and `_`, starting with a letter or `_`.
   * @default 'public'
   */
  schema?: string;
  /**
   * Where `durationMs` of a summary is read from, and what the backoff between conflict retries sleeps on
   * (`conflictRetries`): pass `client.clock` to share the client's (a test's fake clock).
   * @default the system clock
   */
  clock?: Clock;
  /**
   * How many times a transaction (a batch of `apply()`, `applyConversations()`, `loadDimensions()`, `writeState()`)
   * is run again when the server rolled it back for a deadlock (SQLSTATE 40P01) or a serialization failure (40001):
   * another writer (a second worker, an analyst's UPDATE) locked the same rows in another order. Rolled back means
   * nothing of it was written, so a retry writes it exactly once. Each retry runs on the same connection, inside the
   * same call (batches handed over after it keep waiting: call order holds), after a jittered backoff (about 50 ms,
   * then 4 x longer each time, capped at 2 s). When every attempt was rolled back: PostgresWarehouseError
   * `reason: 'transaction-conflict'`. 0 turns retries off. A whole number from 0 to 10.
   * @default 3
   */
  conflictRetries?: number;
}

export interface PostgresWarehouse {
  readonly kind: 'pg' | 'pglite';
  readonly schema: string;
  /** Where, without credentials. */
  readonly target: string;
  /** Creates or upgrades the schema. Idempotent; safe when several processes run it at once (advisory lock). */
  migrate(): Promise<MigrateResult>;
  /**
   * One batch of evaluation changes (and its sync state) in one transaction. Migrates first if needed. Batches of
   * one warehouse are written in the order apply() was called; each is checked and encoded while the batches before
   * it are written, so one handed over early is ready when the previous one commits. The changes are read until the
   * returned promise settles: do not modify them before. A ValidationError rejects it before anything is sent.
   */
  apply(changes: readonly EvaluationChange[], options?: ApplyOptions): Promise<ApplySummary>;
  /** One batch of conversation changes (and its sync state) in one transaction. */
  applyConversations(changes: readonly ConversationUpsert[], options?: ApplyOptions): Promise<ApplySummary>;
  /** Upserts dimension rows by id (rows not given are kept); a form's question rows are replaced. One transaction. */
  loadDimensions(input: DimensionsInput): Promise<DimensionsSummary>;
  /** Sync state alone, in its own transaction. */
  writeState(state: SyncStateWrite): Promise<void>;
  /** Every fingerprint of a stream, by key. */
  readFingerprints(stream: string): Promise<Map<string, string>>;
  /** Every watermark of a stream, by window (ISO UTC watermark, or null). */
  readWatermarks(stream: string): Promise<Map<string, { watermark: string | null; state: unknown }>>;
  /** A read query (analysts, tests). Rows as the driver returns them (numeric as string, timestamptz as Date). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Closes the connection pool or the embedded database that the warehouse opened itself. */
  close(): Promise<void>;
}
