/**
 * A batch's session-level advisory lock (src/postgres/warehouse.ts BatchLock) must never outlive the batch on a
 * pooled connection: a later batch that waits for it (checkEarlier) would wait on a connection nobody uses. When
 * the unlock after a failed attempt itself fails, the connection is destroyed (the server drops a session's locks
 * with it) instead of going back to the pool still holding the lock.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresWarehouse, type EvaluationChange } from '@org/gc-data/postgres';
import { DATABASE_URL, describePostgres, evaluation, K, T, uuid } from './helpers';

const batch = (from: number, count: number): EvaluationChange[] =>
  Array.from({ length: count }, (_, i) => ({ op: 'upsert' as const, row: evaluation(from + i, { changedDate: T(5), totalScore: 1, questions: 3 }) }));

/** The class key of every batch lock ('gcdb', warehouse.ts BATCH_LOCK_CLASS), as pg_locks shows it. */
const BATCH_LOCK_CLASS = 0x67636462;

describePostgres('a batch lock whose unlock fails', () => {
  it('does not stay with the pool: the connection is destroyed, no session keeps the lock, the next batch is written', async () => {
    const schema = `t_block_${process.pid}_${Date.now().toString(36)}`;
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1, application_name: schema });
    let failUnlock = false;
    // The one unlock asked to fail goes nowhere (as if the connection broke just then): the lock stays in that session.
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if (failUnlock && typeof args[0] === 'string' && args[0].includes('pg_advisory_unlock(')) {
          failUnlock = false;
          return Promise.reject(new Error('connection lost during unlock (test)'));
        }
        return query(...args);
      };
    });
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    const w = createPostgresWarehouse({ pool, schema });
    try {
      await w.migrate();
      await admin.query(`CREATE FUNCTION "${schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.evaluation_id = '${uuid(K.evaluation, 2000)}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER refuse BEFORE INSERT ON "${schema}".evaluation_question_scores FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse();`);
      failUnlock = true;
      await expect(w.apply(batch(2000, 5))).rejects.toThrow(/unlock/);
      expect(failUnlock).toBe(false);
      const held = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
         WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.granted AND a.application_name = $2`,
        [BATCH_LOCK_CLASS, schema],);
      expect(held.rows[0]?.n).toBe(0);
      // The pool of one hands out a fresh connection: the next batch is written.
      expect((await w.apply(batch(0, 5))).upserted).toBe(5);
    } finally {
      await w.close();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await admin.end();
      await pool.end().catch(() => {});
    }
  }, 120_000);
});
