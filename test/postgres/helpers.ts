/**
 * The warehouse tests run the same cases on both backends: a real PostgreSQL server (`DATABASE_URL`; .ci/run starts
 * one) and the embedded PGlite. Without DATABASE_URL the server half is skipped with a visible message, except in CI
 * (`CI=true`), where it fails. No mock database anywhere: every assertion reads what PostgreSQL stored.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { createPostgresWarehouse, type PostgresWarehouse } from '@org/gc-data/postgres';

export const DATABASE_URL = process.env.DATABASE_URL ?? '';
const IN_CI = process.env.CI === 'true';

export type BackendName = 'postgres' | 'pglite';

export interface BackendContext {
  name: BackendName;
  /** A warehouse on a schema of its own (dropped or forgotten after the test). */
  warehouse(): PostgresWarehouse;
  /** A schema name no other test uses. */
  schemaName(): string;
  /** Options that reach this backend (for a second warehouse on the same database). */
  options(schema: string): Parameters<typeof createPostgresWarehouse>[0];
  /** Runs SQL as the test (not through the warehouse), e.g. to install a trigger. */
  admin(sql: string): Promise<void>;
}

let counter = 0;

/** Runs `body` once per backend, each in its own describe: `<name> [postgres]` and `<name> [pglite]`. */
export function describeBackends(name: string, body: (ctx: BackendContext) => void): void {
  describePostgres(`${name} [postgres]`, () => body(backend('postgres')));
  describe(`${name} [pglite]`, () => body(backend('pglite')));
}

/** `describe` that needs DATABASE_URL: skipped with a message locally, failing in CI. */
export function describePostgres(name: string, body: () => void): void {
  if (DATABASE_URL) {
    describe(name, body);
    return;
  }
  if (IN_CI) {
    describe(name, () => {
      it('has a PostgreSQL server to run against', () => {
        throw new Error('DATABASE_URL is not set, and CI=true: the PostgreSQL tests must run in CI (.ci/run starts a server and exports DATABASE_URL)');
      });
    });
    return;
  }
  console.warn(
    `[gc-data] SKIPPED "${name}": DATABASE_URL is not set. To run the PostgreSQL tests against a server: ` +
      'initdb a throwaway data dir, pg_ctl start it on a free port, createdb, then DATABASE_URL=postgres://user@127.0.0.1:PORT/db npx vitest run test/postgres',
  );
  describe.skip(name, body);
}

/**
 * Runs `body` with a migrated warehouse on a schema of its own on the server (DATABASE_URL); closes the warehouse
 * and drops the schema after it, whether it passed or not. For the server-only tests that hold locks across
 * connections (a prefix names the test's schema in pg_locks when one hangs).
 */
export async function withServerWarehouse<T>(prefix: string, body: (w: PostgresWarehouse, schema: string) => Promise<T>): Promise<T> {
  const schema = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const w = createPostgresWarehouse({ connectionString: DATABASE_URL, schema });
  try {
    await w.migrate();
    return await body(w, schema);
  } finally {
    await w.close();
    const p = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    try {
      await p.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await p.end();
    }
  }
}

function backend(name: BackendName): BackendContext {
  let lite: PGlite | undefined;
  let admin: pg.Pool | undefined;
  const open: PostgresWarehouse[] = [];
  const schemas: string[] = [];
  beforeAll(async () => {
    if (name === 'pglite') {
      lite = new PGlite('memory://');
      await lite.waitReady;
    } else {
      admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    }
  });
  afterEach(async () => {
    for (const w of open.splice(0)) await w.close();
  });
  afterAll(async () => {
    if (admin) {
      for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await admin.end();
    }
    await lite?.close();
  });
  const options = (schema: string) => (name === 'pglite' ? { pglite: lite as PGlite, schema } : { connectionString: DATABASE_URL, schema });
  const schemaName = () => {
    const s = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
    schemas.push(s);
    return s;
  };
  return {
    name,
    schemaName,
    options,
    warehouse() {
      const w = createPostgresWarehouse(options(schemaName()));
      open.push(w);
      return w;
    },
    async admin(sql: string) {
      if (lite) await lite.exec(sql);
      else await admin?.query(sql);
    },
  };
}

export { evaluation, K, T, uuid, changeBatches, type EvalSpec } from './fixtures';
