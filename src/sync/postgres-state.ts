/**
 * `postgresSyncState(warehouse)`: the sync state in the warehouse's own tables (`sync_fingerprints`,
 * `sync_watermarks`), and the warehouse as the sync's destination. Given no `apply`, a sync hands each batch to
 * `warehouse.apply(changes, { state })` (or `applyConversations`): changes and state commit in ONE transaction, so a
 * run killed at any point (kill -9 included) and started again applies every change exactly once.
 *
 * Uses only the warehouse's public interface; this module loads no database driver.
 */
import type { PostgresWarehouse } from '../postgres/warehouse';
import type { ConversationSyncChange, EvaluationSyncChange, SyncBatch, SyncStateStore } from './types';

export type SyncWarehouse = Pick<PostgresWarehouse, 'readFingerprints' | 'readWatermarks' | 'writeState' | 'apply' | 'applyConversations' | 'target'>;

export interface PostgresSyncStateStore extends SyncStateStore {
  readonly kind: 'postgres';
  readonly warehouse: SyncWarehouse;
  applyEvaluations(batch: SyncBatch<EvaluationSyncChange>): Promise<void>;
  applyConversations(batch: SyncBatch<ConversationSyncChange>): Promise<void>;
}

export function postgresSyncState(warehouse: SyncWarehouse): PostgresSyncStateStore {
  return {
    kind: 'postgres',
    warehouse,
    async load(stream) {
      const [fingerprints, watermarks] = await Promise.all([warehouse.readFingerprints(stream), warehouse.readWatermarks(stream)]);
      return { fingerprints, watermarks };
    },
    commit: (write) => warehouse.writeState(write),
    async applyEvaluations(batch) {
      await warehouse.apply(batch.changes, { state: batch.state });
    },
    async applyConversations(batch) {
      await warehouse.applyConversations(batch.changes, { state: batch.state });
    },
  };
}
