/** Incremental sync: state stores and change types (docs/warehouse.md, "Sync rules"). */
export { FileSyncStateStore, type FileSyncStateStoreOptions } from './file-store';
export { postgresSyncState, type PostgresSyncStateStore, type SyncWarehouse } from './postgres-state';
export { SyncStateError } from './errors';
export type {
  ConversationSyncChange,
  ConversationUpsertChange,
  EvaluationDeleteChange,
  EvaluationSyncChange,
  EvaluationUpsertChange,
  SyncBatch,
  SyncProgress,
  SyncStateSnapshot,
  SyncStateStore,
  SyncStateWrite,
  SyncSummary,
} from './types';
