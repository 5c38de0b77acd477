/**
 * `createPostgresWarehouse`: the PostgreSQL side of the ETL. Versioned migrations, and batches of changes applied
 * exactly once: each batch is COPYed into temp staging tables, merged with one `INSERT ... ON CONFLICT DO UPDATE`
 * guarded by the change time, question scores replaced for the evaluations that changed, and the sync state written,
 * all in one transaction. A kill at any point leaves the batch either wholly applied or not at all, and applying it
 * again changes nothing (the guard lets an equal change time through, with the same values).
 */
import { ValidationError } from '../errors';
import type { AnalyticsConversation } from '../analytics/schemas';
import { formRows, FORM_COLUMNS, FORM_QUESTION_COLUMNS, queueRows, QUEUE_COLUMNS, userRows, USER_COLUMNS } from './dimensions';
import type { WarehouseEvaluationForm, WarehouseQueue, WarehouseUser } from './dimensions';
import { createPgDriver, createPgliteDriver, type Driver, type PgPoolLike, type PGliteLike, type Session } from './driver';
import { errorText, PostgresWarehouseError } from './errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';
import {
  Checker,
  CONVERSATION_COLUMNS,
  conversationRow,
  copyChunks,
  textChunks,
  deletionLine,
  EVALUATION_COLUMNS,
  evaluationRow,
  QUESTION_SCORE_COLUMNS,
  quote,
  type Cell,
  type DateInput,
  type StagedEvaluation,
  type WarehouseEvaluation,
} from './rows';

// ---- public types -------------------------------------------------------------------------------------------

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
  state?: SyncStateWrite;
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
  /** `postgres://user:pass@host:port/db`: a PostgreSQL server through `pg` (optional peer dependency). */
  connectionString?: string;
  /** Your own `pg.Pool` (the warehouse never ends it). */
  pool?: PgPoolLike;
  /**
   * The embedded PostgreSQL (PGlite, optional peer dependency `@electric-sql/pglite`): a data folder, `memory://`,
   * or your own PGlite instance (never closed by the warehouse). One process at a time may open a folder.
   * Default when neither `connectionString` nor `pool` is given: the folder `.gc-data/warehouse` in the working
   * directory.
   */
  pglite?: string | PGliteLike;
  /** Schema for every table. Default `public`. Lowercase letters, digits and `_`, starting with a letter or `_`. */
  schema?: string;
}

export interface PostgresWarehouse {
  readonly kind: 'pg' | 'pglite';
  readonly schema: string;
  /** Where, without credentials. */
  readonly target: string;
  /** Creates or upgrades the schema. Idempotent; safe when several processes run it at once (advisory lock). */
  migrate(): Promise<MigrateResult>;
  /** One batch of evaluation changes (and its sync state) in one transaction. Migrates first if needed. */
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

// ---- implementation -------------------------------------------------------------------------------------------

const WHERE = 'createPostgresWarehouse options';
const OPTION_KEYS = new Set(['connectionString', 'pool', 'pglite', 'schema']);
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const DEFAULT_PGLITE_DIR = '.gc-data/warehouse';

type Source = { kind: 'pg'; connectionString?: string; pool?: PgPoolLike } | { kind: 'pglite'; dataDir?: string; instance?: PGliteLike };

function parseOptions(options: PostgresWarehouseOptions | undefined): { source: Source; schema: string } {
  const o = (options ?? {}) as Record<string, unknown>;
  const issues: Array<{ path: string; message: string }> = [];
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ValidationError(WHERE, [{ path: '', message: 'must be an object' }]);
  for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) issues.push({ path: k, message: `unknown option "${k}": options are ${[...OPTION_KEYS].join(', ')}` });
  const given = ['connectionString', 'pool', 'pglite'].filter((k) => o[k] !== undefined);
  if (given.length > 1) issues.push({ path: given[1] as string, message: `give one of connectionString, pool or pglite, not ${given.join(' and ')}` });
  if (o.connectionString !== undefined && (typeof o.connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(o.connectionString))) {
    issues.push({ path: 'connectionString', message: 'must be a postgres:// or postgresql:// URL' });
  }
  if (o.pool !== undefined && typeof (o.pool as { connect?: unknown })?.connect !== 'function') issues.push({ path: 'pool', message: 'must be a pg.Pool (with connect())' });
  if (o.pglite !== undefined && typeof o.pglite !== 'string' && typeof (o.pglite as { transaction?: unknown })?.transaction !== 'function') {
    issues.push({ path: 'pglite', message: 'must be a data folder, "memory://", or a PGlite instance' });
  }
  if (typeof o.pglite === 'string' && o.pglite.length === 0) issues.push({ path: 'pglite', message: 'must not be empty: a data folder or "memory://"' });
  const schema = o.schema ?? 'public';
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    issues.push({ path: 'schema', message: `must be lowercase letters, digits and _ (at most 63, not starting with a digit), got ${quote(schema)}` });
  }
  if (issues.length) throw new ValidationError(WHERE, issues);
  let source: Source;
  if (o.connectionString !== undefined) source = { kind: 'pg', connectionString: o.connectionString as string };
  else if (o.pool !== undefined) source = { kind: 'pg', pool: o.pool as PgPoolLike };
  else if (typeof o.pglite === 'object') source = { kind: 'pglite', instance: o.pglite as PGliteLike };
  else source = { kind: 'pglite', dataDir: (o.pglite as string | undefined) ?? DEFAULT_PGLITE_DIR };
  return { source, schema: schema as string };
}

function dbError(what: string, target: string, e: unknown, rolledBack: boolean): unknown {
  if (e instanceof PostgresWarehouseError || e instanceof ValidationError) return e;
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
  const detail = typeof (e as { detail?: unknown })?.detail === 'string' ? ` (${(e as { detail: string }).detail.slice(0, 200)})` : '';
  return new PostgresWarehouseError(
    `${what} failed on ${target}: ${errorText(e).slice(0, 300)}${detail}${code ? ` [SQLSTATE ${code}]` : ''}.` +
      (rolledBack ? ' The transaction was rolled back: nothing of this batch was written; apply the same batch again.' : ''),
    { reason: 'query-failed', target, code, cause: e },
  );
}

/**
 * A warehouse in PostgreSQL (a server through `pg`) or in the embedded PGlite. Nothing is loaded or connected
 * until the first call.
 *
 * ```ts
 * import { createPostgresWarehouse } from '@org/gc-data/postgres';
 * const warehouse = createPostgresWarehouse({ connectionString: process.env.DATABASE_URL, schema: 'quality' });
 * await warehouse.migrate();
 * await warehouse.apply([{ op: 'upsert', row: evaluation }, { op: 'delete', evaluationId, at: new Date() }]);
 * ```
 */
export function createPostgresWarehouse(options?: PostgresWarehouseOptions): PostgresWarehouse {
  const { source, schema } = parseOptions(options);
  const s = `"${schema}"`;
  const target =
    source.kind === 'pg'
      ? source.connectionString !== undefined
        ? (() => {
            try {
              const u = new URL(source.connectionString);
              return `${u.protocol}//${u.host}${u.pathname}`;
            } catch {
              return 'postgres';
            }
          })()
        : 'postgres (given pool)'
      : source.instance
        ? 'pglite (given instance)'
        : `pglite:${source.dataDir}`;
  let driver: Promise<Driver> | undefined;
  let closed = false;
  let migrated: Promise<MigrateResult> | undefined;

  const getDriver = (): Promise<Driver> => {
    if (closed) return Promise.reject(new PostgresWarehouseError(`the warehouse (${target}) is closed`, { reason: 'closed', target }));
    return (driver ??= (source.kind === 'pg' ? createPgDriver(source) : createPgliteDriver(source)).catch((e: unknown) => {
      driver = undefined;
      // E.g. a PGlite folder that cannot be created or is not a database.
      throw dbError('opening the warehouse', target, e, false);
    }));
  };

  const transaction = async <T>(what: string, fn: (session: Session) => Promise<T>): Promise<T> => {
    const d = await getDriver();
    let started = false;
    try {
      return await d.transaction((session) => {
        started = true;
        return fn(session);
      });
    } catch (e) {
      throw dbError(what, target, e, started);
    }
  };

  const migrate = (): Promise<MigrateResult> =>
    transaction('warehouse.migrate()', async (q) => {
      // Two processes migrating at once: the second waits here, then finds the versions applied.
      await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`@org/gc-data/postgres migrate ${schema}`]);
      await q.exec(`CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());`);
      const r = await q.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.schema_version`);
      const from = Number(r.rows[0]?.v ?? 0);
      if (from > LATEST_VERSION) {
        throw new PostgresWarehouseError(
          `the warehouse schema "${schema}" on ${target} is at version ${from}, newer than this @org/gc-data knows (${LATEST_VERSION}): upgrade @org/gc-data; an older SDK does not write to a newer schema`,
          { reason: 'schema-too-new', target },
        );
      }
      const applied: number[] = [];
      for (const m of MIGRATIONS) {
        if (m.version <= from) continue;
        await q.exec(m.sql(s));
        await q.query(`INSERT INTO ${s}.schema_version (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        applied.push(m.version);
      }
      return { from, to: Math.max(from, LATEST_VERSION), applied };
    });

  const ensureMigrated = (): Promise<MigrateResult> =>
    (migrated ??= migrate().catch((e: unknown) => {
      migrated = undefined;
      throw e;
    }));

  const stateRows = (state: SyncStateWrite | undefined, c: Checker, path: string) => {
    const fingerprints = new Map<string, [string, string, string | null]>();
    const watermarks = new Map<string, [string, string, string | null, unknown]>();
    if (state === undefined) return { fingerprints: [], watermarks: [] };
    if (state === null || typeof state !== 'object') {
      c.add(path, `must be { fingerprints?, watermarks? }, got ${quote(state)}`);
      return { fingerprints: [], watermarks: [] };
    }
    (state.fingerprints ?? []).forEach((f, i) => {
      const p = `${path}.fingerprints[${i}]`;
      if (typeof f?.stream !== 'string' || f.stream.length === 0) return c.add(`${p}.stream`, `must be a non-empty string, got ${quote(f?.stream)}`);
      if (typeof f.key !== 'string' || f.key.length === 0) return c.add(`${p}.key`, `must be a non-empty string, got ${quote(f.key)}`);
      if (f.fingerprint !== null && typeof f.fingerprint !== 'string') return c.add(`${p}.fingerprint`, `must be a string or null, got ${quote(f.fingerprint)}`);
      // The last write of a key in the batch wins.
      fingerprints.set(`${f.stream}\u0000${f.key}`, [f.stream, f.key, f.fingerprint]);
    });
    (state.watermarks ?? []).forEach((w, i) => {
      const p = `${path}.watermarks[${i}]`;
      if (typeof w?.stream !== 'string' || w.stream.length === 0) return c.add(`${p}.stream`, `must be a non-empty string, got ${quote(w?.stream)}`);
      if (typeof w.window !== 'string' || w.window.length === 0) return c.add(`${p}.window`, `must be a non-empty string, got ${quote(w.window)}`);
      const at = w.watermark === null ? null : c.date(w.watermark, p, '.watermark', true);
      watermarks.set(`${w.stream}\u0000${w.window}`, [w.stream, w.window, at, w.state === undefined ? null : w.state]);
    });
    return { fingerprints: [...fingerprints.values()], watermarks: [...watermarks.values()] };
  };

  const writeStateIn = async (q: Session, rows: ReturnType<typeof stateRows>) => {
    if (rows.fingerprints.length > 0) {
      await q.exec(`CREATE TEMP TABLE gc_stage_fingerprints (stream text NOT NULL, key text NOT NULL, fingerprint text) ON COMMIT DROP`);
      await q.copyFrom('gc_stage_fingerprints', ['stream', 'key', 'fingerprint'], copyChunks(rows.fingerprints));
      await q.exec(`DELETE FROM ${s}.sync_fingerprints f USING gc_stage_fingerprints g
  WHERE g.fingerprint IS NULL AND f.stream = g.stream AND f.key = g.key;
INSERT INTO ${s}.sync_fingerprints (stream, key, fingerprint)
  SELECT stream, key, fingerprint FROM gc_stage_fingerprints WHERE fingerprint IS NOT NULL
  ON CONFLICT (stream, key) DO UPDATE SET fingerprint = excluded.fingerprint, updated_at = now();`);
    }
    for (const [stream, window, watermark, state] of rows.watermarks) {
      await q.query(
        `INSERT INTO ${s}.sync_watermarks (stream, window_key, watermark, state) VALUES ($1, $2, $3, $4::jsonb)
  ON CONFLICT (stream, window_key) DO UPDATE SET watermark = excluded.watermark, state = excluded.state, updated_at = now()`,
        [stream, window, watermark, state === null ? null : JSON.stringify(state)],
      );
    }
  };

  const checkBatch = (changes: unknown, where: string): readonly unknown[] => {
    if (!Array.isArray(changes)) throw new ValidationError(where, [{ path: 'changes', message: `must be an array of changes, got ${quote(changes)}` }]);
    return changes;
  };

  const apply = async (changes: readonly EvaluationChange[], options: ApplyOptions = {}): Promise<ApplySummary> => {
    const started = Date.now();
    const where = 'warehouse.apply() input';
    const list = checkBatch(changes, where) as EvaluationChange[];
    const c = new Checker();
    // Per evaluation, the change with the latest time wins; at the same time the later one in the batch wins
    // (ON CONFLICT cannot touch one row twice in a statement, so the batch is reduced here).
    const latest = new Map<string, { at: string; upsert?: StagedEvaluation; deleteLine?: string }>();
    list.forEach((ch, i) => {
      const p = `changes[${i}]`;
      if (ch === null || typeof ch !== 'object') return c.add(p, `must be { op: 'upsert', row } or { op: 'delete', evaluationId, at }, got ${quote(ch)}`);
      let id: string | null = null;
      let entry: { at: string; upsert?: StagedEvaluation; deleteLine?: string } | undefined;
      if (ch.op === 'upsert') {
        const staged = evaluationRow(ch.row, ch.changedAt, c, `${p}.row`);
        if (staged) {
          id = staged.id;
          entry = { at: staged.changedAt, upsert: staged };
        }
      } else if (ch.op === 'delete') {
        id = c.uuid(ch.evaluationId, p, '.evaluationId', true);
        const at = c.date(ch.at, p, '.at', true);
        if (id !== null && at !== null) entry = { at, deleteLine: deletionLine(id, at) };
      } else {
        return c.add(`${p}.op`, `must be 'upsert' or 'delete', got ${quote((ch as { op?: unknown }).op)}`);
      }
      if (id === null || entry === undefined) return;
      const prev = latest.get(id);
      if (prev === undefined || Date.parse(entry.at) >= Date.parse(prev.at)) latest.set(id, entry);
    });
    const state = stateRows(options?.state, c, 'options.state');
    if (c.issues.length) throw new ValidationError(where, c.issues, 'Nothing was written.');
    await ensureMigrated();
    const entries = [...latest.values()];
    const evaluationLines = entries.map((e) => e.upsert?.line ?? (e.deleteLine as string));
    const cols = EVALUATION_COLUMNS.join(', ');
    const updatable = EVALUATION_COLUMNS.filter((k) => k !== 'evaluation_id' && k !== 'deleted_at');
    const result = await transaction('warehouse.apply()', async (q) => {
      await q.exec(`CREATE TEMP TABLE gc_stage_evaluations (LIKE ${s}.evaluations INCLUDING DEFAULTS INCLUDING COMPRESSION) ON COMMIT DROP`);
      if (evaluationLines.length > 0) await q.copyFrom('gc_stage_evaluations', EVALUATION_COLUMNS, textChunks(evaluationLines));
      // Upserts: applied when newer than the row, or as new as it and the row is not a tombstone (a deletion wins
      // a tie; the same batch applied again rewrites the same values). Rows are taken in id order, so two writers
      // of overlapping batches lock them in the same order.
      const up = await q.query<{ evaluation_id: string }>(`INSERT INTO ${s}.evaluations AS t (${cols})
    SELECT ${cols} FROM gc_stage_evaluations WHERE deleted_at IS NULL ORDER BY evaluation_id
  ON CONFLICT (evaluation_id) DO UPDATE SET ${updatable.map((k) => `${k} = excluded.${k}`).join(', ')}, deleted_at = NULL, loaded_at = now()
    WHERE excluded.changed_at > t.changed_at OR (excluded.changed_at = t.changed_at AND t.deleted_at IS NULL)
  RETURNING evaluation_id`);
      // Deletions: a tombstone; the other columns keep what was last loaded.
      const del = await q.query<{ evaluation_id: string }>(`INSERT INTO ${s}.evaluations AS t (evaluation_id, changed_at, deleted_at)
    SELECT evaluation_id, changed_at, deleted_at FROM gc_stage_evaluations WHERE deleted_at IS NOT NULL ORDER BY evaluation_id
  ON CONFLICT (evaluation_id) DO UPDATE SET changed_at = excluded.changed_at, deleted_at = excluded.deleted_at, loaded_at = now()
    WHERE excluded.changed_at >= t.changed_at
  RETURNING evaluation_id`);
      // Question scores of every evaluation written are replaced: removed, then (upserts) COPYed straight in.
      const upserted = up.rows.map((r) => r.evaluation_id);
      const touched = upserted.concat(del.rows.map((r) => r.evaluation_id));
      if (touched.length > 0) await q.query(`DELETE FROM ${s}.evaluation_question_scores WHERE evaluation_id = ANY ($1::uuid[])`, [touched]);
      let questionScores = 0;
      let calibrations = false;
      const scoreBlocks: string[] = [];
      for (const id of upserted) {
        const staged = latest.get(id)?.upsert;
        if (!staged) throw new Error(`internal: the server returned evaluation ${id}, which this batch did not stage`);
        if (staged.scoreCount > 0) scoreBlocks.push(staged.scores);
        questionScores += staged.scoreCount;
        if (staged.calibration) calibrations = true;
      }
      if (questionScores > 0) await q.copyFrom(`${s}.evaluation_question_scores`, QUESTION_SCORE_COLUMNS, textChunks(scoreBlocks));
      if (calibrations) {
        await q.query(
          `INSERT INTO ${s}.calibrations AS t (calibration_id, conversation_id, form_id, form_context_id, changed_at)
  SELECT DISTINCT ON (e.calibration_id) e.calibration_id, e.conversation_id, e.form_id, e.form_context_id, e.changed_at
    FROM gc_stage_evaluations e
    WHERE e.calibration_id IS NOT NULL AND e.deleted_at IS NULL AND e.evaluation_id = ANY ($1::uuid[])
    ORDER BY e.calibration_id, e.changed_at DESC
  ON CONFLICT (calibration_id) DO UPDATE SET conversation_id = excluded.conversation_id, form_id = excluded.form_id,
    form_context_id = excluded.form_context_id, changed_at = excluded.changed_at
    WHERE excluded.changed_at >= t.changed_at`,
          [upserted],
        );
      }
      await writeStateIn(q, state);
      return { upserted: up.rows.length, deleted: del.rows.length, questionScores };
    });
    return {
      changes: list.length,
      ...result,
      skippedOlder: list.length - result.upserted - result.deleted,
      durationMs: Date.now() - started,
    };
  };

  const applyConversations = async (changes: readonly ConversationUpsert[], options: ApplyOptions = {}): Promise<ApplySummary> => {
    const started = Date.now();
    const where = 'warehouse.applyConversations() input';
    const list = checkBatch(changes, where) as ConversationUpsert[];
    const c = new Checker();
    const latest = new Map<string, { at: string; cells: Cell[] }>();
    list.forEach((ch, i) => {
      const p = `changes[${i}]`;
      if (ch === null || typeof ch !== 'object' || ch.op !== 'upsert') {
        return c.add(`${p}.op`, `must be 'upsert' (a change { op: 'upsert', row, changedAt }), got ${quote((ch as { op?: unknown } | null)?.op)}`);
      }
      const r = conversationRow(ch.row, ch.changedAt, c, `${p}.row`);
      if (!r) return;
      const at = r.cells[CONVERSATION_COLUMNS.indexOf('changed_at')] as string;
      const prev = latest.get(r.id);
      if (prev === undefined || Date.parse(at) >= Date.parse(prev.at)) latest.set(r.id, { at, cells: r.cells });
    });
    const state = stateRows(options?.state, c, 'options.state');
    if (c.issues.length) throw new ValidationError(where, c.issues, 'Nothing was written.');
    await ensureMigrated();
    const cols = CONVERSATION_COLUMNS.join(', ');
    const upserted = await transaction('warehouse.applyConversations()', async (q) => {
      await q.exec(`CREATE TEMP TABLE gc_stage_conversations (LIKE ${s}.conversations INCLUDING DEFAULTS) ON COMMIT DROP`);
      if (latest.size > 0) await q.copyFrom('gc_stage_conversations', CONVERSATION_COLUMNS, copyChunks([...latest.values()].map((x) => x.cells)));
      const r = await q.query(`INSERT INTO ${s}.conversations AS t (${cols}) SELECT ${cols} FROM gc_stage_conversations
  ON CONFLICT (conversation_id) DO UPDATE SET ${CONVERSATION_COLUMNS.slice(1).map((k) => `${k} = excluded.${k}`).join(', ')}, loaded_at = now()
  WHERE excluded.changed_at >= t.changed_at`);
      await writeStateIn(q, state);
      return r.rowCount;
    });
    return { changes: list.length, upserted, deleted: 0, skippedOlder: list.length - upserted, questionScores: 0, durationMs: Date.now() - started };
  };

  const loadDimensions = async (input: DimensionsInput): Promise<DimensionsSummary> => {
    const where = 'warehouse.loadDimensions() input';
    if (input === null || typeof input !== 'object') throw new ValidationError(where, [{ path: '', message: `must be { users?, queues?, forms? }, got ${quote(input)}` }]);
    const c = new Checker();
    for (const k of Object.keys(input)) if (!['users', 'queues', 'forms'].includes(k)) c.add(k, `unknown key "${k}": use users, queues, forms`);
    for (const k of ['users', 'queues', 'forms'] as const) if (input[k] !== undefined && !Array.isArray(input[k])) c.add(k, `must be an array, got ${quote(input[k])}`);
    if (c.issues.length) throw new ValidationError(where, c.issues);
    const users = userRows(input.users ?? [], c, 'users');
    const queues = queueRows(input.queues ?? [], c, 'queues');
    const forms = formRows(input.forms ?? [], c, 'forms');
    if (c.issues.length) throw new ValidationError(where, c.issues, 'Nothing was written.');
    await ensureMigrated();
    await transaction('warehouse.loadDimensions()', async (q) => {
      const load = async (table: string, key: string, columns: readonly string[], rows: Cell[][]) => {
        if (rows.length === 0) return;
        await q.exec(`CREATE TEMP TABLE gc_stage_${table} (LIKE ${s}.${table} INCLUDING DEFAULTS) ON COMMIT DROP`);
        await q.copyFrom(`gc_stage_${table}`, columns, copyChunks(rows));
        await q.exec(`INSERT INTO ${s}.${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM gc_stage_${table}
  ON CONFLICT (${key}) DO UPDATE SET ${columns.filter((k) => k !== key).map((k) => `${k} = excluded.${k}`).join(', ')}, loaded_at = now()`);
      };
      await load('users', 'user_id', USER_COLUMNS, users);
      await load('queues', 'queue_id', QUEUE_COLUMNS, queues);
      await load('evaluation_forms', 'form_id', FORM_COLUMNS, forms.forms);
      if (forms.forms.length > 0) {
        await q.exec(`DELETE FROM ${s}.evaluation_form_questions q USING gc_stage_evaluation_forms f WHERE q.form_id = f.form_id`);
        if (forms.questions.length > 0) await q.copyFrom(`${s}.evaluation_form_questions`, FORM_QUESTION_COLUMNS, copyChunks(forms.questions));
      }
    });
    return { users: users.length, queues: queues.length, forms: forms.forms.length, questions: forms.questions.length };
  };

  const writeState = async (state: SyncStateWrite): Promise<void> => {
    const c = new Checker();
    const rows = stateRows(state, c, 'state');
    if (c.issues.length) throw new ValidationError('warehouse.writeState() input', c.issues, 'Nothing was written.');
    await ensureMigrated();
    await transaction('warehouse.writeState()', (q) => writeStateIn(q, rows));
  };

  const read = async <R>(what: string, sql: string, params?: readonly unknown[]): Promise<R[]> => {
    const d = await getDriver();
    try {
      return (await d.query<R>(sql, params)).rows;
    } catch (e) {
      throw dbError(what, target, e, false);
    }
  };

  return {
    kind: source.kind,
    schema,
    target,
    migrate: () => {
      const run = migrate();
      // A successful explicit migrate() spares apply() its own check; a failed one is the caller's to handle.
      run.then(
        (r) => {
          migrated ??= Promise.resolve(r);
        },
        () => {},
      );
      return run;
    },
    apply,
    applyConversations,
    loadDimensions,
    writeState,
    async readFingerprints(stream) {
      await ensureMigrated();
      const rows = await read<{ key: string; fingerprint: string }>('warehouse.readFingerprints()', `SELECT key, fingerprint FROM ${s}.sync_fingerprints WHERE stream = $1`, [stream]);
      return new Map(rows.map((r) => [r.key, r.fingerprint]));
    },
    async readWatermarks(stream) {
      await ensureMigrated();
      const rows = await read<{ window_key: string; watermark: Date | string | null; state: unknown }>(
        'warehouse.readWatermarks()',
        `SELECT window_key, watermark, state FROM ${s}.sync_watermarks WHERE stream = $1`,
        [stream],
      );
      return new Map(rows.map((r) => [r.window_key, { watermark: r.watermark === null ? null : new Date(r.watermark).toISOString(), state: r.state }]));
    },
    query: (sql, params) => read('warehouse.query()', sql, params),
    async close() {
      if (closed) return;
      closed = true;
      const d = await driver?.catch(() => undefined);
      await d?.close();
    },
  };
}
