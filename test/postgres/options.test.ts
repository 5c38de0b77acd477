import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@org/gc-data';
import { createPostgresWarehouse, DEFAULT_PGLITE_DIR, PostgresWarehouseError, WAREHOUSE_SCHEMA_VERSION } from '@org/gc-data/postgres';
import pg from 'pg';
import { DATABASE_URL, describePostgres, evaluation, T } from './helpers';

describe('createPostgresWarehouse options', () => {
  it('bad options are one ValidationError naming each option, before anything is loaded or connected', () => {
    const e = (() => {
      try {
        createPostgresWarehouse({ connectionString: 'mysql://x', pglite: 'memory://', schema: 'Quality-1', shcema: 'x' } as never);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['shcema', 'pglite', 'connectionString', 'schema']);
    expect((e as Error).message).toMatch(/give one of connectionString, pool or pglite, not connectionString and pglite/);
  });

  it('durationMs is read from the given clock (e.g. client.clock); a clock without now/sleep/random is refused naming clock', async () => {
    let t = 1_000_000;
    // Every reading is one second after the last: the summary shows exactly the readings the warehouse took.
    const clock = { now: () => (t += 1000), sleep: async () => {}, random: () => 0.5 };
    const w = createPostgresWarehouse({ pglite: 'memory://', clock });
    try {
      const s = await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1) }) }]);
      expect(s.durationMs).toBe(1000);
      const c = await w.applyConversations([]);
      expect(c.durationMs).toBe(1000);
    } finally {
      await w.close();
    }
    const e = (() => {
      try {
        createPostgresWarehouse({ pglite: 'memory://', clock: { now: () => 1 } } as never);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['clock']);
  });

  it('with no connection option the embedded PGlite is used, in .gc-data/warehouse by default', () => {
    const w = createPostgresWarehouse();
    expect(w.kind).toBe('pglite');
    expect(w.target).toBe(`pglite:${DEFAULT_PGLITE_DIR}`);
    expect(w.schema).toBe('public');
  });

  it('a PGlite folder whose parent folders do not exist yet is created (the default .gc-data/warehouse on a fresh clone)', async () => {
    const { mkdtempSync, rmSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'gc-pglite-'));
    try {
      const dir = join(root, 'a', 'b', 'warehouse');
      const w = createPostgresWarehouse({ pglite: dir });
      await w.migrate();
      await w.close();
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the target never carries the password', () => {
    const w = createPostgresWarehouse({ connectionString: 'postgres://etl:s3cret@127.0.0.1:1/warehouse' });
    expect(w.kind).toBe('pg');
    expect(w.target).toBe('postgres://127.0.0.1:1/warehouse');
  });

  it('an unreachable server: migrate() rejects with a PostgresWarehouseError without the password, and nothing is left unhandled', async () => {
    const w = createPostgresWarehouse({ connectionString: 'postgres://etl:s3cret@127.0.0.1:1/warehouse' });
    const e = await w.migrate().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PostgresWarehouseError);
    expect((e as PostgresWarehouseError).reason).toBe('query-failed');
    expect((e as Error).message).toMatch(/^warehouse\.migrate\(\) failed on postgres:\/\/127\.0\.0\.1:1\/warehouse: .*ECONNREFUSED/);
    expect(JSON.stringify((e as PostgresWarehouseError).toJSON())).not.toContain('s3cret');
    // apply() tries again (the failure is not cached) and fails the same way.
    await expect(w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1) }) }])).rejects.toBeInstanceOf(PostgresWarehouseError);
    await w.close();
    await expect(w.migrate()).rejects.toMatchObject({ reason: 'closed' });
  });

  it('an embedded warehouse whose folder cannot be used is a PostgresWarehouseError naming the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-data-pglite-'));
    try {
      const file = join(dir, 'not-a-folder');
      writeFileSync(file, 'x');
      const w = createPostgresWarehouse({ pglite: join(file, 'db') });
      const e = await w.migrate().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PostgresWarehouseError);
      expect((e as Error).message).toMatch(new RegExp(`^opening the warehouse failed on pglite:${join(file, 'db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      await w.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an embedded warehouse in a folder keeps its data across close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-data-pglite-'));
    try {
      const w1 = createPostgresWarehouse({ pglite: dir, schema: 'quality' });
      await w1.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1), totalScore: 42 }) }]);
      await w1.close();
      const w2 = createPostgresWarehouse({ pglite: dir, schema: 'quality' });
      expect(await w2.migrate()).toMatchObject({ from: WAREHOUSE_SCHEMA_VERSION, applied: [] });
      expect(await w2.query(`SELECT total_score::text AS s FROM quality.evaluations`)).toEqual([{ s: '42' }]);
      await w2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgres('createPostgresWarehouse({ pool }) [postgres]', () => {
  it('uses the given pg.Pool and leaves it open on close()', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const schema = `t_pool_${process.pid}_${Date.now().toString(36)}`;
    try {
      const w = createPostgresWarehouse({ pool, schema });
      expect(w.target).toBe('postgres (given pool)');
      await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1) }) }]);
      await w.close();
      const r = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".evaluations`);
      expect(r.rows).toEqual([{ n: 1 }]);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });
});
