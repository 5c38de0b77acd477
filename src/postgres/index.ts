/**
 * `@org/gc-data/postgres`: a PostgreSQL warehouse for the SDK's rows, loaded exactly once and crash-safe. Runs on a
 * PostgreSQL server (optional peer dependencies `pg` and `pg-copy-streams`) or on the embedded PGlite (optional peer
 * dependency `@electric-sql/pglite`) in a local folder, with the same SQL. Neither driver is loaded until the
 * warehouse is first used, and the main entry `@org/gc-data` loads nothing of this. See docs/warehouse.md.
 */
export { createPostgresWarehouse, DEFAULT_PGLITE_DIR } from './warehouse';
export type {
  ApplyOptions,
  ApplySummary,
  ConversationUpsert,
  DimensionsInput,
  DimensionsSummary,
  EvaluationChange,
  EvaluationDelete,
  EvaluationUpsert,
  MigrateResult,
  PostgresWarehouse,
  PostgresWarehouseOptions,
  SyncStateWrite,
} from './warehouse';
export type { DateInput } from './checker';
export type { WarehouseEvaluation } from './evaluation-rows';
export type { WarehouseEvaluationForm, WarehouseQueue, WarehouseUser } from './dimensions';
export type { PgClientLike, PgPoolLike, PGliteLike, PGliteTransactionLike } from './driver';
export { PostgresWarehouseError } from './errors';
export { postgresSyncState, type PostgresSyncStateStore, type SyncWarehouse } from '../sync/postgres-state';
export type { PostgresWarehouseErrorReason } from './errors';
export { LATEST_VERSION as WAREHOUSE_SCHEMA_VERSION } from './migrations';
