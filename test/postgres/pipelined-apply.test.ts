/**
 * Batches handed to warehouse.apply() before the previous one settled (src/postgres/warehouse.ts,
 * src/postgres/batch-order.ts): the next batch is staged on another connection while the previous one is written,
 * and merged at once when it shares no row with it, but each still commits in call order, in its own transaction; a
 * later batch never waits for a connection an earlier one needs (a pool of one connection, PGlite's single session);
 * with `after` a batch is rolled back when the batch it follows failed.
 */
import pg from 'pg';
import { expect, it, vi } from 'vitest';
import { createPostgresWarehouse, PostgresWarehouseError, type EvaluationChange } from '@org/gc-data/postgres';
import { DATABASE_URL, describeBackends, describePostgres, evaluation, K, T, uuid, withServerWarehouse } from './helpers';

const batch = (from: number, count: number, totalScore: number): EvaluationChange[] =>
  Array.from({ length: count }, (_, i) => ({ op: 'upsert' as const, row: evaluation(from + i, { changedDate: T(5), totalScore, questions: 3 }) }));

describeBackends('batches handed over early', (db) => {
  it('commit in call order: a small later batch never overtakes a big earlier one (same change time: the later batch wins)', async () => {
    const w = db.warehouse();
    await w.migrate();
    // The big batch takes longer to encode; the small ones rewrite its first ids with the same change time.
    const runs = [
      w.apply(batch(0, 1500, 1), { state: { watermarks: [{ stream: 's', window: 'w', watermark: T(1) }] } }),
      w.apply(batch(0, 10, 2), { state: { watermarks: [{ stream: 's', window: 'w', watermark: T(2) }] } }),
      w.apply(batch(5, 10, 3), { state: { watermarks: [{ stream: 's', window: 'w', watermark: T(3) }] } }),
    ];
    const summaries = await Promise.all(runs);
    expect(summaries.map((r) => r.upserted)).toEqual([1500, 10, 10]);
    const rows = await w.query<{ id: string; score: string }>(`SELECT evaluation_id::text AS id, total_score::text AS score FROM "${w.schema}".evaluations ORDER BY evaluation_id`);
    expect(rows).toHaveLength(1500);
    const score = new Map(rows.map((r) => [r.id, r.score]));
    expect([0, 4, 5, 14, 15].map((n) => score.get(uuid(K.evaluation, n)))).toEqual(['2', '2', '3', '3', '1']);
    expect((await w.readWatermarks('s')).get('w')?.watermark).toBe(T(3));
    const n = (await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${w.schema}".evaluation_question_scores`))[0]?.n;
    expect(n).toBe(1500 * 3);
  }, 120_000);

  it('a refused batch in the middle is rolled back alone; the batches around it are written', async () => {
    const w = db.warehouse();
    await w.migrate();
    await db.admin(`CREATE FUNCTION "${w.schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.evaluation_id = '${uuid(K.evaluation, 2000)}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse BEFORE INSERT ON "${w.schema}".evaluation_question_scores FOR EACH ROW EXECUTE FUNCTION "${w.schema}".refuse();`);
    const results = await Promise.allSettled([w.apply(batch(0, 500, 1)), w.apply(batch(2000, 5, 1)), w.apply(batch(3000, 5, 1))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/refused by the test.*rolled back/s);
    const n = (await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${w.schema}".evaluations`))[0]?.n;
    expect(n).toBe(505);
  }, 120_000);
});

describeBackends('a batch that follows another (after)', (db) => {
  it('is rolled back when the batch it follows failed; a batch that follows none is written', async () => {
    const w = db.warehouse();
    await w.migrate();
    await db.admin(`CREATE FUNCTION "${w.schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.evaluation_id = '${uuid(K.evaluation, 2000)}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse BEFORE INSERT ON "${w.schema}".evaluation_question_scores FOR EACH ROW EXECUTE FUNCTION "${w.schema}".refuse();`);
    const state = (n: number) => ({ fingerprints: [{ stream: 's', key: `k${n}`, fingerprint: `f${n}` }] });
    const b1 = w.apply(batch(0, 300, 1), { state: state(1) });
    const b2 = w.apply(batch(2000, 5, 1), { state: state(2), after: b1 });
    const b3 = w.apply(batch(3000, 5, 1), { state: state(3), after: b2 });
    const b4 = w.apply(batch(4000, 5, 1), { state: state(4), after: b3 });
    const b5 = w.apply(batch(5000, 5, 1), { state: state(5) });
    const results = await Promise.allSettled([b1, b2, b3, b4, b5]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/refused by the test/);
    for (const r of results.slice(2, 4)) {
      const e = (r as PromiseRejectedResult).reason as PostgresWarehouseError;
      expect(e).toBeInstanceOf(PostgresWarehouseError);
      expect(e.reason).toBe('earlier-batch-failed');
      expect(e.message).toMatch(/rolled back/);
    }
    const ids = await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${w.schema}".evaluations`);
    expect(ids[0]?.n).toBe(305);
    expect([...(await w.readFingerprints('s')).keys()].sort()).toEqual(['k1', 'k5']);
    // Handed over after a failed batch had settled, still following it: refused all the same.
    await expect(w.apply(batch(3000, 5, 1), { state: state(3), after: b2 })).rejects.toMatchObject({ reason: 'earlier-batch-failed' });
    await w.apply(batch(3000, 5, 1), { state: state(3), after: b5 });
    expect([...(await w.readFingerprints('s')).keys()].sort()).toEqual(['k1', 'k3', 'k5']);
  }, 120_000);

  it('after must be a promise: a ValidationError naming it, nothing written', async () => {
    const w = db.warehouse();
    await expect(w.apply(batch(0, 1, 1), { after: 'yes' as unknown as Promise<void> })).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'options.after' }] });
    await expect(w.applyConversations([], { after: 1 as unknown as Promise<void> })).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'options.after' }] });
  });
});

/**
 * Holds the test's batch A (rows of total score 1) inside its merge: a trigger waits for an advisory lock the test
 * holds. The rows of later batches (total score 2, 3) move a sequence each when merged: sequences move outside
 * transactions, so a merge is seen before its batch commits.
 */
async function holdFirstBatch(schema: string, heldId: string): Promise<{ merged: (score: 2 | 3) => Promise<number>; release: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SEQUENCE "${schema}".merged2; CREATE SEQUENCE "${schema}".merged3;
    CREATE FUNCTION "${schema}".hold() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.evaluation_id = '${heldId}' AND NEW.total_score = 1 THEN PERFORM pg_advisory_xact_lock(4242); END IF;
        IF NEW.total_score = 2 THEN PERFORM nextval('"${schema}".merged2'); END IF;
        IF NEW.total_score = 3 THEN PERFORM nextval('"${schema}".merged3'); END IF;
        RETURN NEW;
      END $$;
    CREATE TRIGGER hold BEFORE INSERT OR UPDATE ON "${schema}".evaluations FOR EACH ROW EXECUTE FUNCTION "${schema}".hold();`);
  await admin.query('SELECT pg_advisory_lock(4242)');
  let released = false;
  return {
    merged: async (score) => Number((await admin.query<{ n: string }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM "${schema}".merged${score}`)).rows[0]?.n),
    // Idempotent: called again in the test's finally, so a failed assertion does not leave A waiting for ever.
    release: async () => {
      if (released) return;
      released = true;
      await admin.query('SELECT pg_advisory_unlock(4242)');
      await admin.end();
    },
  };
}

describePostgres('batches handed over early: two merges at once on the server', () => {
  // Waits for a condition (a merge seen in the server), not for time: the timeout only ends a broken run.
  const until = { timeout: 60_000, interval: 20 };

  it('a batch that shares no row with the one being written merges meanwhile, and still commits after it', async () => {
    await withServerWarehouse('t_pmerge', async (w, schema) => {
      const hold = await holdFirstBatch(schema, uuid(K.evaluation, 0));
      try {
        const a = w.apply(batch(0, 50, 1), { state: { watermarks: [{ stream: 's', window: 'w1', watermark: T(1) }] } });
        const b = w.apply(batch(100, 50, 2), { state: { watermarks: [{ stream: 's', window: 'w2', watermark: T(2) }] } });
        // B's 50 rows go through the merge while A waits inside its own, and none is visible: B has not committed.
        await vi.waitFor(async () => expect(await hold.merged(2)).toBe(50), until);
        expect((await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".evaluations`))[0]?.n).toBe(0);
        expect((await w.readWatermarks('s')).size).toBe(0);
        await hold.release();
        expect((await Promise.all([a, b])).map((r) => r.upserted)).toEqual([50, 50]);
        expect((await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".evaluations`))[0]?.n).toBe(100);
        expect([...(await w.readWatermarks('s')).keys()].sort()).toEqual(['w1', 'w2']);
      } finally {
        await hold.release();
      }
    });
  }, 120_000);

  it('a batch that shares rows with the one being written waits for it before its merge (both merging would deadlock)', async () => {
    await withServerWarehouse('t_pwait', async (w, schema) => {
      const hold = await holdFirstBatch(schema, uuid(K.evaluation, 0));
      try {
        // B: the same evaluations as A, newer. Merged at once, B would lock row 0 before A (held) inserts it, then wait
        // in Node for A's commit while A waits in the server for B's row: neither would ever finish. C shares no row
        // with either: it stages after B has (so B is past its staging) and merges meanwhile.
        const a = w.apply(batch(0, 50, 1), { state: { watermarks: [{ stream: 's', window: 'w', watermark: T(1) }] } });
        const b = w.apply(
          Array.from({ length: 50 }, (_, i) => ({ op: 'upsert' as const, row: evaluation(i, { changedDate: T(6), totalScore: 2, questions: 3 }) })),
          { state: { watermarks: [{ stream: 's', window: 'w', watermark: T(2) }] } },
        );
        // (Its watermark is another window's: the same watermark row would be a shared row.)
        const c = w.apply(batch(100, 50, 3), { state: { watermarks: [{ stream: 's', window: 'w3', watermark: T(3) }] } });
        await vi.waitFor(async () => expect(await hold.merged(3)).toBe(50), until);
        expect(await hold.merged(2)).toBe(0);
        await hold.release();
        expect((await Promise.all([a, b, c])).map((r) => r.upserted)).toEqual([50, 50, 50]);
        const rows = await w.query<{ score: string; n: number }>(`SELECT total_score::text AS score, count(*)::int AS n FROM "${schema}".evaluations GROUP BY 1 ORDER BY 1`);
        expect(rows).toEqual([
          { score: '2', n: 50 },
          { score: '3', n: 50 },
        ]);
        // Committed in call order: B's watermark after A's.
        expect((await w.readWatermarks('s')).get('w')?.watermark).toBe(T(2));
      } finally {
        await hold.release();
      }
    });
  }, 120_000);
});

describePostgres('batches handed over early, on a pool of one connection', () => {
  it('every batch is written: a later batch never holds the only connection while an earlier one waits for it', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const schema = `t_pipe_${process.pid}_${Date.now().toString(36)}`;
    const w = createPostgresWarehouse({ pool, schema });
    try {
      // The first batch is the biggest, so the later ones are encoded first.
      const summaries = await Promise.all([w.apply(batch(0, 2000, 1)), w.apply(batch(0, 5, 2)), w.apply(batch(10, 5, 3)), w.apply(batch(20, 5, 4))]);
      expect(summaries.map((r) => r.upserted)).toEqual([2000, 5, 5, 5]);
      const rows = await w.query<{ score: string; n: number }>(`SELECT total_score::text AS score, count(*)::int AS n FROM "${schema}".evaluations GROUP BY 1 ORDER BY 1`);
      expect(rows).toEqual([
        { score: '1', n: 1985 },
        { score: '2', n: 5 },
        { score: '3', n: 5 },
        { score: '4', n: 5 },
      ]);
    } finally {
      await w.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }, 120_000);
});
