/**
 * Two writers of one warehouse schema (two processes, or two warehouse objects) whose batches share rows: each
 * statement locks its rows in key order, but one batch runs several statements (the guarded upsert, then the
 * tombstones, ...), so T1's upsert can lock a, T2's upsert b, and then T1's tombstones want b while T2's want a. The
 * server detects the deadlock and rolls one back (SQLSTATE 40P01). apply() runs a batch the server rolled back for a
 * deadlock or a serialization failure (40001) again, on the same connection, a few times with jittered backoff
 * (createPostgresWarehouse option conflictRetries), then fails with reason 'transaction-conflict'.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPostgresWarehouse, PostgresWarehouseError, type EvaluationChange, type PostgresWarehouse } from '@org/gc-data/postgres';
import { DATABASE_URL, describeBackends, describePostgres, evaluation, K, T, uuid, withServerWarehouse } from './helpers';

const upsert = (n: number, day: number, totalScore: number): EvaluationChange => ({ op: 'upsert', row: evaluation(n, { changedDate: T(day), totalScore, questions: 2 }) });
const remove = (n: number, day: number): EvaluationChange => ({ op: 'delete', evaluationId: uuid(K.evaluation, n), at: T(day) });

describePostgres('two writers whose batches lock shared rows in opposite orders (a real deadlock)', () => {
  let admin: pg.Client;
  const schemas: string[] = [];
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await admin.end();
  });

  /**
   * Evaluations 1 and 2 loaded; a trigger makes every tombstone row wait for an advisory lock the test holds (a
   * barrier), and counts the tombstone rows that reached it (a sequence: it moves outside transactions, so rolled-back
   * attempts count too). Then T1 = [upsert 1, delete 2] on one warehouse and T2 = [upsert 2, delete 1] on another:
   * once both wait at the barrier, each has locked its upserted row; the test releases the barrier and each wants the
   * row the other holds.
   */
  async function interleave(conflictRetries?: number) {
    const schema = `t_dl_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
    schemas.push(schema);
    const extra = conflictRetries === undefined ? {} : { conflictRetries };
    const w1 = createPostgresWarehouse({ connectionString: DATABASE_URL, schema, ...extra });
    const w2 = createPostgresWarehouse({ connectionString: DATABASE_URL, schema, ...extra });
    await w1.migrate();
    await w1.apply([upsert(1, 1, 0), upsert(2, 1, 0)]);
    const barrier = 4_000_000 + schemas.length;
    await admin.query(`CREATE SEQUENCE "${schema}".tombstones;
      CREATE FUNCTION "${schema}".barrier() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.deleted_at IS NOT NULL THEN
            PERFORM nextval('"${schema}".tombstones');
            PERFORM pg_advisory_xact_lock_shared(${barrier});
          END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER barrier BEFORE INSERT ON "${schema}".evaluations FOR EACH ROW EXECUTE FUNCTION "${schema}".barrier();`);
    await admin.query('SELECT pg_advisory_lock($1)', [barrier]);
    const t1 = w1.apply([upsert(1, 5, 1), remove(2, 5)]);
    const t2 = w2.apply([upsert(2, 6, 2), remove(1, 6)]);
    t1.catch(() => {});
    t2.catch(() => {});
    // A condition, not a time: both transactions wait at the barrier (each holding its upserted row).
    await vi.waitFor(
      async () => {
        const r = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`, [barrier]);
        expect(r.rows[0]?.n).toBe(2);
      },
      { timeout: 60_000, interval: 20 },
    );
    await admin.query('SELECT pg_advisory_unlock($1)', [barrier]);
    const tombstones = async () => Number((await admin.query<{ n: string }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM "${schema}".tombstones`)).rows[0]?.n);
    return { schema, w1, w2, t1, t2, tombstones };
  }

  /** Whichever of the two committed first, both applied leave: 1 deleted at day 6, 2 upserted (score 2) at day 6. */
  async function expectBothApplied(w: PostgresWarehouse, schema: string) {
    const rows = await w.query<{ id: string; score: string | null; deleted: boolean; scores: number }>(
      `SELECT e.evaluation_id::text AS id, e.total_score::text AS score, e.deleted_at IS NOT NULL AS deleted,
              (SELECT count(*)::int FROM "${schema}".evaluation_question_scores q WHERE q.evaluation_id = e.evaluation_id) AS scores
         FROM "${schema}".evaluations e ORDER BY e.evaluation_id`,
    );
    expect(rows.map((r) => [r.id, r.deleted, r.deleted ? r.scores : r.score, r.scores])).toEqual([
      [uuid(K.evaluation, 1), true, 0, 0],
      [uuid(K.evaluation, 2), false, '2', 2],
    ]);
  }

  it('without retries one batch fails: PostgresWarehouseError transaction-conflict, SQLSTATE 40P01, rolled back; applying it again converges', async () => {
    const { schema, w1, w2, t1, t2, tombstones } = await interleave(0);
    try {
      const results = await Promise.allSettled([t1, t2]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const i = results.findIndex((r) => r.status === 'rejected');
      const e = (results[i] as PromiseRejectedResult).reason as PostgresWarehouseError;
      expect(e).toBeInstanceOf(PostgresWarehouseError);
      expect(e.reason).toBe('transaction-conflict');
      expect(e.code).toBe('40P01');
      expect(e.message).toMatch(/deadlock.*1 attempt.*rolled back/s);
      expect(await tombstones()).toBe(2);
      // The caller applies the failed batch again: the warehouse equals both applied.
      await (i === 0 ? w1.apply([upsert(1, 5, 1), remove(2, 5)]) : w2.apply([upsert(2, 6, 2), remove(1, 6)]));
      await expectBothApplied(w1, schema);
    } finally {
      await w1.close();
      await w2.close();
    }
  }, 120_000);

  it('by default the batch the server rolled back is applied again, exactly once, inside the same apply(): both succeed', async () => {
    const { schema, w1, w2, t1, t2, tombstones } = await interleave();
    try {
      const [s1, s2] = await Promise.all([t1, t2]);
      // Two first attempts at the barrier, one retry of the batch that was rolled back.
      expect(await tombstones()).toBe(3);
      // The retried batch found the other one committed: its older changes were skipped by the change-time guard
      // (T1 second), or written over T1's (T2 second).
      expect(s1.changes + s2.changes).toBe(4);
      await expectBothApplied(w1, schema);
    } finally {
      await w1.close();
      await w2.close();
    }
  }, 120_000);
});

describeBackends('a batch the server rolls back for a serialization failure (40001)', (db) => {
  /** A trigger that raises 40001 on the first `failures` tries to write evaluation 7 (a sequence counts the tries). */
  async function failFirst(w: PostgresWarehouse, failures: number) {
    await w.migrate();
    await db.admin(`CREATE SEQUENCE "${w.schema}".tries;
      CREATE FUNCTION "${w.schema}".conflict() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.evaluation_id = '${uuid(K.evaluation, 7)}' AND nextval('"${w.schema}".tries') <= ${failures} THEN
            RAISE EXCEPTION 'could not serialize access (raised by the test)' USING ERRCODE = 'serialization_failure';
          END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER conflict BEFORE INSERT ON "${w.schema}".evaluations FOR EACH ROW EXECUTE FUNCTION "${w.schema}".conflict();`);
  }
  /** A clock whose sleeps return at once and are recorded (the backoff between attempts). */
  const recordingClock = () => {
    const sleeps: number[] = [];
    return { sleeps, clock: { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 } };
  };

  it('is applied again after a jittered backoff on the warehouse clock, before the batches after it commit (call order)', async () => {
    const { sleeps, clock } = recordingClock();
    const schema = db.schemaName();
    const w = createPostgresWarehouse({ ...db.options(schema), clock });
    try {
      await failFirst(w, 2);
      const wm = (day: number) => ({ watermarks: [{ stream: 's', window: 'w', watermark: T(day) }] });
      const b1 = w.apply([upsert(7, 5, 1), upsert(8, 5, 1)], { state: wm(1) });
      const b2 = w.apply([upsert(9, 5, 2)], { state: wm(2), after: b1 });
      const [s1, s2] = await Promise.all([b1, b2]);
      expect([s1.upserted, s2.upserted]).toEqual([2, 1]);
      // Two backoffs, growing (equal jitter with random() = 0.5: three quarters of each step).
      expect(sleeps).toHaveLength(2);
      expect(sleeps[1]).toBeGreaterThan(sleeps[0] as number);
      expect((await w.readWatermarks('s')).get('w')?.watermark).toBe(T(2));
      const n = await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".evaluation_question_scores`);
      expect(n[0]?.n).toBe(6);
    } finally {
      await w.close();
    }
  }, 120_000);

  it('fails after conflictRetries attempts again: transaction-conflict naming 40001, nothing written; the batch after it (after) is refused', async () => {
    const { sleeps, clock } = recordingClock();
    const schema = db.schemaName();
    const w = createPostgresWarehouse({ ...db.options(schema), clock, conflictRetries: 2 });
    try {
      await failFirst(w, 100);
      const b1 = w.apply([upsert(7, 5, 1), upsert(8, 5, 1)], { state: { fingerprints: [{ stream: 's', key: 'k', fingerprint: 'f' }] } });
      const b2 = w.apply([upsert(9, 5, 2)], { after: b1 });
      const [r1, r2] = await Promise.allSettled([b1, b2]);
      const e = (r1 as PromiseRejectedResult).reason as PostgresWarehouseError;
      expect(e).toBeInstanceOf(PostgresWarehouseError);
      expect(e.reason).toBe('transaction-conflict');
      expect(e.code).toBe('40001');
      expect(e.message).toMatch(/serialization failure.*3 attempts.*rolled back/s);
      expect(sleeps).toHaveLength(2);
      expect((r2 as PromiseRejectedResult).reason).toMatchObject({ reason: 'earlier-batch-failed' });
      expect((await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".evaluations`))[0]?.n).toBe(0);
      expect((await w.readFingerprints('s')).size).toBe(0);
    } finally {
      await w.close();
    }
  }, 120_000);

  it('conflictRetries must be a whole number from 0 to 10: a ValidationError naming it', () => {
    for (const bad of [-1, 1.5, 11, '3']) {
      expect(() => createPostgresWarehouse({ ...db.options(db.schemaName()), conflictRetries: bad as number })).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ path: 'conflictRetries' })] }));
    }
  });
});

describePostgres('a batch merged early waits for the batch before it where the server sees the wait', () => {
  it('another writer locking a row of each of two batches in flight: the server detects the cycle instead of all three hanging', async () => {
    await withServerWarehouse('t_dlnode', async (w, schema) => {
      const other = new pg.Client({ connectionString: DATABASE_URL });
      await other.connect();
      try {
        await w.apply([upsert(1, 1, 0), upsert(2, 1, 0)]);
        // B2's row 2 passes this trigger once it is locked (BEFORE UPDATE of the upsert): the sequence moves.
        await other.query(`CREATE SEQUENCE "${schema}".b2_locked;
          CREATE FUNCTION "${schema}".seen() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.total_score = 2 THEN PERFORM nextval('"${schema}".b2_locked'); END IF; RETURN NEW; END $$;
          CREATE TRIGGER seen BEFORE UPDATE ON "${schema}".evaluations FOR EACH ROW EXECUTE FUNCTION "${schema}".seen();`);
        // The other writer (an analyst's transaction) locks row 1. Its lock_timeout only ends a run that hangs.
        await other.query(`SET lock_timeout = '30s'`);
        await other.query('BEGIN');
        await other.query(`UPDATE "${schema}".evaluations SET loaded_at = now() WHERE evaluation_id = $1`, [uuid(K.evaluation, 1)]);
        // B1 wants row 1 (waits for the analyst); B2 shares no row with B1, so it merges meanwhile (locks row 2) and
        // waits for B1 before its commit.
        const b1 = w.apply([upsert(1, 5, 1)]);
        const b2 = w.apply([upsert(2, 5, 2)]);
        b1.catch(() => {});
        b2.catch(() => {});
        await vi.waitFor(async () => expect(Number((await other.query<{ n: string }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM "${schema}".b2_locked`)).rows[0]?.n)).toBeGreaterThan(0), {
          timeout: 60_000,
          interval: 20,
        });
        // Now the analyst wants row 2: analyst -> B2 (row lock), B2 -> B1 (the commit order), B1 -> analyst (row lock).
        const analyst = other.query(`UPDATE "${schema}".evaluations SET loaded_at = now() WHERE evaluation_id = $1`, [uuid(K.evaluation, 2)]).then(
          () => 'updated',
          (e: { code?: string }) => e.code,
        );
        const outcome = await analyst;
        await other.query(outcome === 'updated' ? 'COMMIT' : 'ROLLBACK');
        // Not 55P03 (lock_timeout: nobody saw the cycle). Either the analyst was chosen (40P01), or B2 was and the
        // warehouse ran it again: either way both batches are written.
        expect(outcome).toMatch(/^(updated|40P01)$/);
        expect((await Promise.all([b1, b2])).map((s) => s.upserted)).toEqual([1, 1]);
        const rows = await w.query<{ score: string }>(`SELECT total_score::text AS score FROM "${schema}".evaluations ORDER BY evaluation_id`);
        expect(rows.map((r) => r.score)).toEqual(['1', '2']);
      } finally {
        await other.end().catch(() => {});
      }
    });
  }, 120_000);
});
