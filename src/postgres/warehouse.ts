/**
 * `createPostgresWarehouse`: the PostgreSQL side of the ETL. Versioned migrations (migrations.ts), and batches of
 * changes applied exactly once, each in one transaction: evaluations (apply-evaluations.ts), conversations and
 * dimension tables (the staging pattern of stage.ts), with the sync state (state-write.ts) in the same transaction.
 */
import { ValidationError } from '../errors';
import { backoffDelay, sleepOrAbort, type Backoff } from '../internal/waits';
import { Checker, quote } from './checker';
import { conversationRow, CONVERSATION_COLUMNS } from './conversation-rows';
import { copyLine, textCopy, type Cell } from './copy-format';
import { dimensionColumns, dimensionRows, FORM_QUESTION_COLUMNS, FORMS, formRows, QUEUES, USERS, type DimensionTable } from './dimensions';
import { createPgDriver, createPgliteDriver, type Driver, type Session } from './driver';
import { errorText, PostgresWarehouseError } from './errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';
import { parseWarehouseOptions } from './options';
import { checkAfter, evaluationLockKeys, mergeEvaluations, prepareEvaluations, readAnswersCompression, stageEvaluations } from './apply-evaluations';
import { BatchOrder, type BatchTicket } from './batch-order';
import { stage, upsertSql } from './stage';
import { stateRows, writeStateIn } from './state-write';
import type { ApplyOptions, ApplySummary, ConversationUpsert, DimensionsInput, DimensionsSummary, MigrateResult, PostgresWarehouse, PostgresWarehouseOptions } from './types';

export { DEFAULT_PGLITE_DIR } from './options';
export type * from './types';

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

/** The first key of every batch's advisory lock ('gcdb'); the second is the batch's BatchTicket.lockId. */
const BATCH_LOCK_CLASS = 0x67636462;

/**
 * A batch's session-level advisory lock (src/postgres/batch-order.ts): taken at the start of its first attempt and
 * held across retries (a rolled-back attempt keeps it: session locks ignore ROLLBACK), released as the last statement
 * before COMMIT or when the batch gives up. A connection destroyed after a failed ROLLBACK drops it with the session.
 * Only on a server: PGlite has one session, nobody else can wait there.
 */
class BatchLock {
  private held = false;
  constructor(
    private readonly enabled: boolean,
    private readonly id: number,
  ) {}
  async hold(q: Session): Promise<void> {
    if (!this.enabled || this.held) return;
    await q.query('SELECT pg_advisory_lock($1, $2)', [BATCH_LOCK_CLASS, this.id]);
    this.held = true;
  }
  async release(q: Session): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await q.query('SELECT pg_advisory_unlock($1, $2)', [BATCH_LOCK_CLASS, this.id]);
  }
}

/** Thrown by a batch merged early whose earlier batch was rolled back for a conflict (checkEarlier); retried as one. */
class EarlierBatchConflict extends Error {
  readonly code = '40P01';
  constructor() {
    super('an earlier batch was rolled back for a deadlock while this one, merged early, waited for it');
  }
}

/** What a server error is when the transaction may simply run again (it was rolled back whole); else undefined. */
function conflictOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40P01' ? 'deadlock' : code === '40001' ? 'serialization failure' : undefined;
}

/** Between two attempts of a transaction rolled back for a conflict: ~25-50 ms, then 4 x longer each time, cap 2 s. */
const CONFLICT_BACKOFF: Backoff = { initialDelayMs: 50, factor: 4, maxDelayMs: 2_000, jitter: { kind: 'equal' } };

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
  const { source, schema, target, clock, conflictRetries } = parseWarehouseOptions(options);
  const s = `"${schema}"`;
  let driver: Promise<Driver> | undefined;
  let closed = false;
  // Batches are written in the order they were handed over; the next one is checked and encoded meanwhile.
  const order = new BatchOrder();
  let migrated: Promise<MigrateResult> | undefined;

  const getDriver = (): Promise<Driver> => {
    if (closed) return Promise.reject(new PostgresWarehouseError(`the warehouse (${target}) is closed`, { reason: 'closed', target }));
    return (driver ??= (source.kind === 'pg' ? createPgDriver(source) : createPgliteDriver(source)).catch((e: unknown) => {
      driver = undefined;
      // E.g. a PGlite folder that cannot be created or is not a database.
      throw dbError('opening the warehouse', target, e, false);
    }));
  };

  /**
   * Runs `fn` in a transaction; one the server rolled back for a deadlock or a serialization failure runs again on
   * the same connection (option conflictRetries), after a backoff on the warehouse's clock.
   */
  const transaction = async <T>(what: string, fn: (session: Session) => Promise<T>, onRolledBack?: (session: Session, again: boolean) => Promise<void>): Promise<T> => {
    const d = await getDriver();
    let attempts = 0;
    // Rollbacks to let an earlier batch's retry through (EarlierBatchConflict): at most one per batch (its retry merges
    // after the earlier batches settled), not a conflict of its own, so not counted against conflictRetries.
    let yielded = 0;
    const retry = async (e: unknown, attempt: number, session: Session): Promise<boolean> => {
      const yielding = e instanceof EarlierBatchConflict;
      if (yielding) yielded++;
      const again = yielding || (conflictOf(e) !== undefined && attempt - yielded <= conflictRetries);
      await onRolledBack?.(session, again);
      if (!again) return false;
      if (yielding) return true;
      await sleepOrAbort(clock, backoffDelay(CONFLICT_BACKOFF, attempt - 1, () => clock.random()), undefined, what);
      return true;
    };
    try {
      return await d.transaction((session) => {
        attempts++;
        return fn(session);
      }, conflictRetries > 0 || onRolledBack ? retry : undefined);
    } catch (e) {
      const conflict = conflictOf(e);
      if (conflict !== undefined && attempts > 0) {
        throw new PostgresWarehouseError(
          `${what} failed on ${target}: the server rolled the transaction back for a ${conflict} with another writer ` +
            `[SQLSTATE ${(e as { code: string }).code}] on ${attempts === 1 ? '1 attempt' : `each of ${attempts} attempts`} (option conflictRetries: ${conflictRetries}): ` +
            'each was rolled back, nothing of this batch was written; apply the same batch again.',
          { reason: 'transaction-conflict', target, code: (e as { code: string }).code, cause: e },
        );
      }
      throw dbError(what, target, e, attempts > 0);
    }
  };

  /**
   * Inside a batch's transaction, once every earlier batch settled: refuses it when the batch it follows failed. On
   * a server, it first waits for the earlier batches' advisory locks (BatchLock): a wait the deadlock detector sees.
   */
  const checkEarlier = async (t: BatchTicket, options: ApplyOptions | undefined, q?: Session, conflictsBefore?: number): Promise<void> => {
    if (q && source.kind === 'pg') {
      for (const id of t.earlierLockIds()) {
        await q.query('SELECT pg_advisory_lock_shared($1, $2)', [BATCH_LOCK_CLASS, id]);
        await q.query('SELECT pg_advisory_unlock_shared($1, $2)', [BATCH_LOCK_CLASS, id]);
      }
      // An earlier batch was rolled back for a conflict since this one merged: its retry would wait for rows this
      // one may hold (through another writer). Let go of them: rolled back, run again after the earlier ones.
      if (conflictsBefore !== undefined && t.earlierConflicts() > conflictsBefore) throw new EarlierBatchConflict();
    }
    await t.earlierSettled;
    if (options?.after === undefined) return;
    const ok = await Promise.resolve(options.after).then(
      () => true,
      () => false,
    );
    if (!ok) {
      throw new PostgresWarehouseError(
        `the batch this one follows (options.after) failed: this one was rolled back, nothing of it was written; apply the failed batch and this one again`,
        { reason: 'earlier-batch-failed', target },
      );
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

  // Read once, after the migration: how the evaluation stage compresses `answers` (stageEvaluations).
  let compression: Promise<string | undefined> | undefined;
  const answersCompression = (): Promise<string | undefined> =>
    (compression ??= (async () => {
      await ensureMigrated();
      const d = await getDriver();
      try {
        return await readAnswersCompression(d, schema);
      } catch (e) {
        throw dbError('warehouse.apply()', target, e, false);
      }
    })().catch((e: unknown) => {
      compression = undefined;
      throw e;
    }));

  /**
   * Batches handed over early overlap (src/postgres/batch-order.ts): a batch takes a connection and stages its rows
   * (a temp table, nothing shared) once the batch before it has staged; it merges at once when it shares no row with
   * an earlier batch still being written, else after those settled; it commits after every earlier batch settled.
   * So the server stages and merges two batches on two cores, every batch still commits in call order in its own
   * transaction, and no batch ever waits for a later one (connections are taken in call order: no deadlock with a
   * pool of one connection or PGlite's single session).
   */
  const apply: PostgresWarehouse['apply'] = (changes, options = {}) => {
    const started = clock.now();
    // Encoded now, while the batches handed over before are written.
    const prepared = prepareEvaluations(changes, options);
    // Awaited below, after the batches before have staged: a refusal meanwhile is not an unhandled rejection.
    prepared.catch(() => {});
    return order.take(async (t): Promise<ApplySummary> => {
      await t.turnToStage;
      const p = await prepared;
      t.lockKeys(evaluationLockKeys(p));
      const method = await answersCompression();
      const lock = new BatchLock(source.kind === 'pg', t.lockId);
      let attempt = 0;
      const r = await transaction(
        'warehouse.apply()',
        async (q) => {
          await lock.hold(q);
          const stage = await stageEvaluations(q, s, p, method).finally(t.staged);
          // A retry merges only after the earlier batches settled (BatchOrder's module comment).
          await t.mayMerge(++attempt > 1);
          const conflictsBefore = t.earlierConflicts();
          const merged = await mergeEvaluations(q, s, p, stage);
          await checkEarlier(t, options, q, conflictsBefore);
          // The last statement before COMMIT: the batches after this one may go on once it commits.
          await lock.release(q);
          return merged;
        },
        async (q, again) => {
          // Before the lock goes: a later batch that finds it free sees this conflict (checkEarlier).
          if (again) t.conflicted();
          await lock.release(q);
        },
      );
      return { changes: p.changes, ...r, skippedOlder: p.changes - r.upserted - r.deleted, durationMs: clock.now() - started };
    });
  };

  const applyConversations: PostgresWarehouse['applyConversations'] = async (changes, options = {}) => {
    const started = clock.now();
    const where = 'warehouse.applyConversations() input';
    if (!Array.isArray(changes)) throw new ValidationError(where, [{ path: 'changes', message: `must be an array of changes, got ${quote(changes)}` }]);
    const c = new Checker();
    const latest = new Map<string, { at: string; cells: Cell[] }>();
    (changes as ConversationUpsert[]).forEach((ch, i) => {
      const p = `changes[${i}]`;
      if (ch === null || typeof ch !== 'object' || ch.op !== 'upsert') {
        return c.add(`${p}.op`, `must be 'upsert' (a change { op: 'upsert', row, changedAt }), got ${quote((ch as { op?: unknown } | null)?.op)}`);
      }
      const r = conversationRow(ch.row, ch.changedAt, c, `${p}.row`);
      if (!r) return;
      const prev = latest.get(r.id);
      if (prev === undefined || Date.parse(r.changedAt) >= Date.parse(prev.at)) latest.set(r.id, { at: r.changedAt, cells: r.cells });
    });
    const state = stateRows(options?.state, c, 'options.state');
    checkAfter(options, c);
    if (c.issues.length) throw new ValidationError(where, c.issues, 'Nothing was written.');
    const data = textCopy([...latest.values()].map((x) => x.cells));
    // After every earlier batch has settled (it declares no lock keys: it overlaps them all).
    return order.take(async (t) => {
      await t.earlierSettled;
      await ensureMigrated();
      const upserted = await transaction('warehouse.applyConversations()', async (q) => {
        const staged = await stage(q, s, 'conversations', CONVERSATION_COLUMNS, data);
        const r = await q.query(upsertSql(s, 'conversations', staged, 'conversation_id', CONVERSATION_COLUMNS, { guard: 'excluded.changed_at >= t.changed_at' }));
        await writeStateIn(q, s, state);
        await checkEarlier(t, options);
        return r.rowCount;
      });
      return { changes: changes.length, upserted, deleted: 0, skippedOlder: changes.length - upserted, questionScores: 0, durationMs: clock.now() - started };
    });
  };

  const loadDimensions = async (input: DimensionsInput): Promise<DimensionsSummary> => {
    const where = 'warehouse.loadDimensions() input';
    if (input === null || typeof input !== 'object') throw new ValidationError(where, [{ path: '', message: `must be { users?, queues?, forms? }, got ${quote(input)}` }]);
    const c = new Checker();
    for (const k of Object.keys(input)) if (!['users', 'queues', 'forms'].includes(k)) c.add(k, `unknown key "${k}": use users, queues, forms`);
    for (const k of ['users', 'queues', 'forms'] as const) if (input[k] !== undefined && !Array.isArray(input[k])) c.add(k, `must be an array, got ${quote(input[k])}`);
    if (c.issues.length) throw new ValidationError(where, c.issues);
    const users = [...dimensionRows(USERS, input.users ?? [], c, 'users').values()];
    const queues = [...dimensionRows(QUEUES, input.queues ?? [], c, 'queues').values()];
    const forms = formRows(input.forms ?? [], c, 'forms');
    if (c.issues.length) throw new ValidationError(where, c.issues, 'Nothing was written.');
    await ensureMigrated();
    await transaction('warehouse.loadDimensions()', async (q) => {
      const load = async (t: DimensionTable, rows: Cell[][]) => {
        if (rows.length === 0) return;
        const columns = dimensionColumns(t);
        const staged = await stage(q, s, t.table, columns, textCopy(rows));
        await q.exec(upsertSql(s, t.table, staged, t.key, columns));
      };
      await load(USERS, users);
      await load(QUEUES, queues);
      if (forms.forms.length > 0) {
        await load(FORMS, forms.forms);
        // A form version's question rows are replaced whole.
        await q.exec(`DELETE FROM ${s}.evaluation_form_questions q USING gc_stage_evaluation_forms f WHERE q.form_id = f.form_id`);
        if (forms.questions.length > 0) await q.copyFrom(`${s}.evaluation_form_questions`, FORM_QUESTION_COLUMNS, forms.questions.map(copyLine));
      }
    });
    return { users: users.length, queues: queues.length, forms: forms.forms.length, questions: forms.questions.length };
  };

  const writeState: PostgresWarehouse['writeState'] = async (state) => {
    const c = new Checker();
    const rows = stateRows(state, c, 'state');
    if (c.issues.length) throw new ValidationError('warehouse.writeState() input', c.issues, 'Nothing was written.');
    await ensureMigrated();
    await transaction('warehouse.writeState()', (q) => writeStateIn(q, s, rows));
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
      await order.idle();
      const d = await driver?.catch(() => undefined);
      await d?.close();
    },
  };
}
