/**
 * The two ways to reach PostgreSQL, behind one small interface so the warehouse runs the same SQL on both:
 * a server through `pg` (+ `pg-copy-streams` for COPY FROM STDIN), or the embedded PGlite (Postgres compiled to
 * WASM) in a local folder. Both drivers are optional peer dependencies, loaded with a dynamic import on first use:
 * importing `@org/gc-data/postgres` loads neither.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeConnection, errorText, PostgresWarehouseError } from './errors';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** One connection inside one transaction. */
export interface Session {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
  /** `COPY <table> (<cols>) FROM STDIN` with the data in `chunks` (text format, or binary with header and trailer). */
  copyFrom(table: string, columns: readonly string[], chunks: Iterable<string | Buffer>, format?: 'text' | 'binary'): Promise<void>;
}

/**
 * After attempt `attempt` (from 1) failed with `error` and was rolled back: whether to run it again. `session` is the
 * same connection, outside a transaction now (e.g. to release a session-level advisory lock when giving up).
 */
export type RetryHook = (error: unknown, attempt: number, session: Session) => Promise<boolean>;

export interface Driver {
  readonly kind: 'pg' | 'pglite';
  /** Where, without credentials: `postgres://host:port/db` or `pglite:<dir>`. */
  readonly target: string;
  /**
   * BEGIN, fn, COMMIT; ROLLBACK when fn throws. With `retry`, after a rolled-back attempt `retry(error, attempt)` is
   * asked (it may wait) and, when it resolves true, the whole transaction runs again on the same connection: a retry
   * never queues for a connection behind a later batch that waits for this one (src/postgres/batch-order.ts).
   */
  transaction<T>(fn: (s: Session) => Promise<T>, retry?: RetryHook): Promise<T>;
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  close(): Promise<void>;
}

// ---- structural types of the drivers (no type import of an optional peer in our declarations) ----------------

/** What the warehouse uses of a `pg` client (`PoolClient`). */
export interface PgClientLike {
  query(sql: string | object, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }> | unknown;
  release(err?: Error | boolean): void;
}

/** What the warehouse uses of a `pg.Pool`: pass your own to share it (the warehouse then never ends it). */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  end(): Promise<void>;
}

/** What the warehouse uses of a PGlite instance: pass your own to share it (the warehouse then never closes it). */
export interface PGliteLike {
  query<R>(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
  transaction<T>(fn: (tx: PGliteTransactionLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly waitReady?: Promise<void>;
}

export interface PGliteTransactionLike {
  query<R>(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function missing(pkg: string, target: string, e: unknown): PostgresWarehouseError {
  return new PostgresWarehouseError(
    `createPostgresWarehouse needs the optional peer dependency ${pkg} (${errorText(e).slice(0, 200)}): npm install ${pkg}`,
    { reason: 'missing-driver', target, cause: e },
  );
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

// ---- pg ---------------------------------------------------------------------------------------------------------

type CopyFrom = (sql: string) => NodeJS.WritableStream & object;

async function loadCopyFrom(target: string): Promise<CopyFrom> {
  try {
    const m = (await import('pg-copy-streams')) as unknown as { from?: CopyFrom; default?: { from: CopyFrom } };
    const from = m.from ?? m.default?.from;
    if (typeof from !== 'function') throw new Error('pg-copy-streams has no export "from"');
    return from;
  } catch (e) {
    throw missing('pg-copy-streams', target, e);
  }
}

export async function createPgDriver(opts: { connectionString?: string; pool?: PgPoolLike }): Promise<Driver> {
  const target = opts.connectionString !== undefined ? describeConnection(opts.connectionString) : 'postgres (given pool)';
  let pool: PgPoolLike;
  const owned = opts.pool === undefined;
  if (opts.pool) {
    pool = opts.pool;
  } else {
    let pg: { Pool: new (config: object) => PgPoolLike };
    try {
      const m = (await import('pg')) as unknown as { Pool?: unknown; default?: { Pool: unknown } };
      pg = (m.Pool ? m : m.default) as typeof pg;
    } catch (e) {
      throw missing('pg', target, e);
    }
    pool = new pg.Pool({ connectionString: opts.connectionString, max: 4 });
    // An idle client that loses its connection emits 'error' on the pool; without a listener Node exits.
    (pool as unknown as { on?: (ev: string, fn: () => void) => void }).on?.('error', () => {});
  }
  let copyFrom: Promise<CopyFrom> | undefined;
  const run = async <R>(q: (sql: string, params?: unknown[]) => unknown, sql: string, params?: readonly unknown[]) => {
    const r = (await q(sql, params ? [...params] : undefined)) as { rows: R[]; rowCount: number | null };
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  };
  return {
    kind: 'pg',
    target,
    async transaction(fn, retry) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        const q = (sql: string, params?: unknown[]) => client.query(sql, params);
        const session: Session = {
          query: (sql, params) => run(q, sql, params),
          async exec(sql) {
            await q(sql);
          },
          async copyFrom(table, columns, chunks, format = 'text') {
            const from = await (copyFrom ??= loadCopyFrom(target));
            const stream = client.query(from(`COPY ${table} (${columns.map(quoteIdent).join(', ')}) FROM STDIN${format === 'binary' ? ' (FORMAT binary)' : ''}`)) as NodeJS.WritableStream;
            await pipeline(Readable.from(chunks, { objectMode: false }), stream as unknown as NodeJS.WritableStream);
          },
        };
        for (let attempt = 1; ; attempt++) {
          await q('BEGIN');
          try {
            const out = await fn(session);
            await q('COMMIT');
            return out;
          } catch (e) {
            try {
              await q('ROLLBACK');
            } catch (rollbackError) {
              broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
              throw e;
            }
            // The connection is kept while the retry waits: a later batch cannot take it meanwhile.
            if (!retry) throw e;
            let again: boolean;
            try {
              again = await retry(e, attempt, session);
            } catch (hookError) {
              // What the hook failed to do on this session (e.g. release a session-level advisory lock) may still
              // hold there: destroy the connection (the server drops its locks with it) rather than pool it.
              broken = hookError instanceof Error ? hookError : new Error(String(hookError));
              throw hookError;
            }
            if (!again) throw e;
          }
        }
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it instead of reusing it.
        client.release(broken ?? undefined);
      }
    },
    query: (sql, params) => run((s, p) => pool.query(s, p), sql, params),
    async close() {
      if (owned) await pool.end();
    },
  };
}

// ---- PGlite -----------------------------------------------------------------------------------------------------

function copyToBlob(chunks: Iterable<string | Buffer>): Blob {
  const parts: Array<string | Buffer> = [];
  for (const c of chunks) parts.push(c);
  return new Blob(parts as BlobPart[]);
}

export async function createPgliteDriver(opts: { dataDir?: string; instance?: PGliteLike }): Promise<Driver> {
  const target = opts.instance ? 'pglite (given instance)' : `pglite:${opts.dataDir ?? ''}`;
  let db: PGliteLike;
  const owned = opts.instance === undefined;
  if (opts.instance) {
    db = opts.instance;
  } else {
    let PGlite: new (dataDir?: string) => PGliteLike;
    try {
      const m = (await import('@electric-sql/pglite')) as unknown as { PGlite: typeof PGlite };
      PGlite = m.PGlite;
    } catch (e) {
      throw missing('@electric-sql/pglite', target, e);
    }
    // PGlite creates its data folder but not the folders above it: the default `.gc-data/warehouse` failed with ENOENT
    // on a fresh clone.
    if (opts.dataDir && !/^[a-z]+:\/\//i.test(opts.dataDir)) await mkdir(dirname(resolve(opts.dataDir)), { recursive: true });
    db = new PGlite(opts.dataDir);
  }
  await db.waitReady;
  const wrap = (q: PGliteTransactionLike): Session => ({
    async query<R>(sql: string, params?: readonly unknown[]) {
      const r = await q.query<R>(sql, params ? [...params] : undefined);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql) {
      await q.exec(sql);
    },
    async copyFrom(table, columns, chunks, format = 'text') {
      // PGlite has no STDIN: COPY reads the blob given with the query as the file '/dev/blob'.
      await q.query(`COPY ${table} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob'${format === 'binary' ? ' (FORMAT binary)' : ''}`, [], {
        blob: copyToBlob(chunks),
      });
    },
  });
  return {
    kind: 'pglite',
    target,
    // One session: the retry runs inside the same PGlite transaction, from a savepoint taken before each attempt (a
    // new db.transaction() would queue behind a later batch that waits for this one). No other session can hold a
    // lock here, so only a trigger or function raising 40001/40P01 itself reaches the retry.
    transaction: (fn, retry) =>
      db.transaction(async (tx) => {
        const session = wrap(tx);
        if (!retry) return fn(session);
        for (let attempt = 1; ; attempt++) {
          await tx.exec('SAVEPOINT gc_data_attempt');
          try {
            const out = await fn(session);
            await tx.exec('RELEASE SAVEPOINT gc_data_attempt');
            return out;
          } catch (e) {
            await tx.exec('ROLLBACK TO SAVEPOINT gc_data_attempt');
            if (!(await retry(e, attempt, session))) throw e;
          }
        }
      }),
    query: (sql, params) => wrap(db).query(sql, params),
    async close() {
      if (owned) await db.close();
    },
  };
}
