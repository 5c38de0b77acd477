/**
 * kill -9 during `gc-data sync evaluations` (a child process) into PostgreSQL, then the same command again: the
 * tables equal the org's truth and no change was applied twice. An audit trigger (installed by the test, not by the
 * SDK) records every row version the warehouse writes, so a batch applied a second time would show as a repeated
 * (evaluation_id, changed_at). Runs on the real server (DATABASE_URL; failing in CI without it) and on PGlite.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresWarehouse, type PostgresWarehouse } from '@org/gc-data/postgres';
import { runCli, startOrg, type Org } from '../cli/helpers';
import { DATABASE_URL, describePostgres } from '../postgres/helpers';

const ANCHOR_MS = Date.parse('2026-01-10T00:00:00Z');
const T0 = Date.now();
const GET_ROUTE = 'GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}';
let org: Org;

beforeAll(async () => {
  org = await startOrg({ conversationsPerDay: 60, now: () => ANCHOR_MS + (Date.now() - T0), rateLimit: false });
});
afterAll(() => org.close());

const AUDIT = (s: string) => [
  `CREATE TABLE "${s}".audit (evaluation_id uuid, changed_at timestamptz, deleted boolean)`,
  `CREATE FUNCTION "${s}".audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO "${s}".audit VALUES (NEW.evaluation_id, NEW.changed_at, NEW.deleted_at IS NOT NULL); RETURN NEW; END $$`,
  `CREATE TRIGGER audit_t AFTER INSERT OR UPDATE ON "${s}".evaluations FOR EACH ROW EXECUTE FUNCTION "${s}".audit_fn()`,
];

async function scenario(target: string[], open: () => PostgresWarehouse, schema: string) {
  const w0 = open();
  await w0.migrate();
  for (const stmt of AUDIT(schema)) await w0.query(stmt);
  await w0.close();
  const args = () => ['sync', 'evaluations', ...target, '--schema', schema, '--lookback', 'P15D', '--now', new Date(org.handle.now()).toISOString(), '--batch-size', '5', '--progress', 'off', '--json', '--requests-per-minute', '100000'];
  const first = await runCli(args(), { org });
  expect(first.code, first.stderr).toBe(0);

  org.handle.advance('P3D');
  const gets0 = org.handle.stats.count(GET_ROUTE);
  let killed = false;
  const killedRun = await runCli(args(), {
    org,
    onStart: (child) => {
      // SIGKILL once the run has fetched 15 changed evaluations: batches of 5 are committed by then, one is in flight.
      const timer = setInterval(() => {
        if (org.handle.stats.count(GET_ROUTE) - gets0 >= 15) {
          clearInterval(timer);
          killed = child.kill('SIGKILL');
        }
      }, 1);
      child.on('exit', () => clearInterval(timer));
    },
  });
  expect(killed).toBe(true);
  expect(killedRun.signal).toBe('SIGKILL');
  const rerun = await runCli(args(), { org });
  expect(rerun.code, rerun.stderr).toBe(0);
  const s = JSON.parse(rerun.stdout.trim().split('\n').pop() ?? '{}') as { new: number; changed: number };
  expect(s.new + s.changed).toBeGreaterThan(0);

  const now = org.handle.now();
  const start = Math.floor((now - 15 * 86_400_000) / 86_400_000) * 86_400_000;
  const truth = org.handle.truth
    .evaluations({ interval: { start, end: now }, status: ['FINISHED'], calibrations: 'exclude' })
    .map((e) => `${e.evaluationId.toLowerCase()} ${new Date(e.changedDate).toISOString()}`)
    .sort();
  const w = open();
  try {
    const rows = await w.query<{ id: string; changed_at: Date }>(
      `SELECT evaluation_id::text AS id, changed_at FROM "${schema}".evaluations WHERE deleted_at IS NULL AND conversation_date >= $1 ORDER BY 1`,
      [new Date(start)],
    );
    expect(rows.map((r) => `${r.id} ${new Date(r.changed_at).toISOString()}`).sort()).toEqual(truth);
    const twice = await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM "${schema}".audit GROUP BY evaluation_id, changed_at, deleted HAVING count(*) > 1) x`);
    expect(twice[0]?.n).toBe(0);
  } finally {
    await w.close();
  }
}

describePostgres('kill -9 during gc-data sync, then rerun [postgres]', () => {
  it('the tables equal the truth; no row version written twice', async () => {
    const schema = `sync_kill_${process.pid}_${Date.now().toString(36)}`;
    try {
      await scenario(['--database', DATABASE_URL], () => createPostgresWarehouse({ connectionString: DATABASE_URL, schema }), schema);
    } finally {
      const w = createPostgresWarehouse({ connectionString: DATABASE_URL, schema });
      await w.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await w.close();
    }
  }, 300_000);
});

describe('kill -9 during gc-data sync, then rerun [pglite]', () => {
  it('the tables equal the truth; no row version written twice', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gc-sync-kill-')), 'wh');
    await scenario(['--pglite', dir], () => createPostgresWarehouse({ pglite: dir, schema: 'quality' }), 'quality');
  }, 300_000);
});
