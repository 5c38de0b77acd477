/**
 * Batches handed to warehouse.apply() before the previous one settled (src/postgres/warehouse.ts): the next batch is
 * staged on another connection while the previous one is written, but each still commits in call order, in its own
 * transaction, and a later batch never waits for a connection an earlier one needs (a pool of one connection, PGlite's
 * single session).
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresWarehouse, type EvaluationChange } from '@org/gc-data/postgres';
import { DATABASE_URL, describeBackends, describePostgres, evaluation, K, T, uuid } from './helpers';

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
