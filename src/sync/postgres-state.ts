/**
 * `postgresSyncState(warehouse)`: the sync state in the warehouse's own tables (`sync_fingerprints`,
 * `sync_watermarks`), and the warehouse as the sync's destination. Given no `apply`, a sync hands each batch to
 * `warehouse.apply(changes, { state })` (or `applyConversations`): changes and state commit in ONE transaction, so a
 * run killed at any point (kill -9 included) and started again applies every change exactly once. The sync hands the
 * next batch over while the previous one is written (`pipelined`): the warehouse commits them in call order.
 *
 * Uses only the warehouse's public interface; this module loads no database driver.
 */
import type { PostgresWarehouse } from '../postgres/warehouse';
import { expected, refuse } from '../internal/parse-options';
import type { ConversationSyncChange, EvaluationSyncChange, SyncBatch, SyncStateStore } from './types';

export type SyncWarehouse = Pick<PostgresWarehouse, 'readFingerprints' | 'readWatermarks' | 'writeState' | 'apply' | 'applyConversations' | 'target'>;

export interface PostgresSyncStateStore extends SyncStateStore {
  readonly kind: 'postgres';
  /** The warehouse commits batches in call order; a batch commits only if the one before did (ApplyOptions.after). */
  readonly pipelined: true;
  readonly warehouse: SyncWarehouse;
  applyEvaluations(batch: SyncBatch<EvaluationSyncChange>): Promise<void>;
  applyConversations(batch: SyncBatch<ConversationSyncChange>): Promise<void>;
}

const METHODS = ['readFingerprints', 'readWatermarks', 'writeState', 'apply', 'applyConversations'] as const;

export function postgresSyncState(warehouse: SyncWarehouse): PostgresSyncStateStore {
  // Checked here, not at the first sync: the store would otherwise fail with a TypeError mid-run.
  const w = warehouse as unknown as Record<string, unknown> | null;
  if (typeof w !== 'object' || w === null) throw refuse('postgresSyncState arguments', 'warehouse', expected('a warehouse from createPostgresWarehouse()', warehouse));
  const missing = METHODS.find((m) => typeof w[m] !== 'function');
  if (missing) throw refuse('postgresSyncState arguments', `warehouse.${missing}`, `expected a warehouse from createPostgresWarehouse(), which has ${missing}()`);
  return {
    kind: 'postgres',
    warehouse,
    async load(stream) {
      const [fingerprints, watermarks] = await Promise.all([warehouse.readFingerprints(stream), warehouse.readWatermarks(stream)]);
      return { fingerprints, watermarks };
    },
    pipelined: true,
    commit: (write) => warehouse.writeState(write),
    // `after`: a batch handed over while the one before is written commits only if that one did, so the state never
    // runs ahead of a batch that was not written.
    async applyEvaluations(batch) {
      await warehouse.apply(batch.changes, { state: batch.state, ...(batch.after ? { after: batch.after } : {}) });
    },
    async applyConversations(batch) {
      await warehouse.applyConversations(batch.changes, { state: batch.state, ...(batch.after ? { after: batch.after } : {}) });
    },
  };
}
