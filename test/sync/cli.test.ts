/**
 * `gc-data sync evaluations` as a user runs it (a child process) into the embedded PGlite folder, against a simulated
 * org served by this test: first run loads everything, an immediate rerun sends 0 evaluation GETs, three days later
 * only the changes; then the warehouse equals the org's truth.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresWarehouse } from '@org/gc-data/postgres';
import { runCli, startOrg, type Org } from '../cli/helpers';

const ANCHOR_MS = Date.parse('2026-01-10T00:00:00Z');
const T0 = Date.now();
let org: Org;

beforeAll(async () => {
  // The clock runs (tokens, limits) but the data changes only through advance().
  org = await startOrg({ conversationsPerDay: 15, now: () => ANCHOR_MS + (Date.now() - T0), rateLimit: false });
});
afterAll(() => org.close());

function summaryOf(stdout: string): Record<string, number | string> {
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | string>;
}

describe('gc-data sync evaluations', () => {
  it('loads the embedded warehouse, reruns with 0 GETs, picks up three days of changes; the tables equal the truth', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gc-sync-cli-')), 'wh');
    // The org's time is not the wall clock: --now says what "now" is.
    const args = () => ['sync', 'evaluations', '--pglite', dir, '--lookback', 'P15D', '--now', new Date(org.handle.now()).toISOString(), '--json', '--progress', 'off', '--requests-per-minute', '100000'];
    const first = await runCli(args(), { org });
    expect(first.code, first.stderr).toBe(0);
    const s1 = summaryOf(first.stdout);
    expect(s1.new).toBeGreaterThan(0);
    expect(s1.fetched).toBe(s1.new);

    const second = await runCli(args(), { org });
    expect(second.code, second.stderr).toBe(0);
    expect(summaryOf(second.stdout)).toMatchObject({ new: 0, changed: 0, deleted: 0, fetched: 0 });

    org.handle.advance('P3D');
    const third = await runCli(args(), { org });
    expect(third.code, third.stderr).toBe(0);
    const s3 = summaryOf(third.stdout);
    expect(Number(s3.new) + Number(s3.changed)).toBeGreaterThan(0);
    expect(s3.fetched).toBe(Number(s3.new) + Number(s3.changed));

    const now = org.handle.now();
    const start = Math.floor((now - 15 * 86_400_000) / 86_400_000) * 86_400_000;
    const truth = org.handle.truth
      .evaluations({ interval: { start, end: now }, status: ['FINISHED'], calibrations: 'exclude' })
      .map((e) => e.evaluationId.toLowerCase())
      .sort();
    const w = createPostgresWarehouse({ pglite: dir });
    try {
      const rows = await w.query<{ id: string }>(`SELECT evaluation_id::text AS id FROM evaluations WHERE deleted_at IS NULL AND conversation_date >= $1 ORDER BY 1`, [new Date(start)]);
      expect(rows.map((r) => r.id)).toEqual(truth);
    } finally {
      await w.close();
    }
  }, 300_000);

  it('refuses what it cannot do with exit 2 before touching anything', async () => {
    const bad = await runCli(['sync', 'widgets'], { org });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('evaluations or conversations');
    const lookback = await runCli(['sync', 'evaluations', '--lookback', 'P1M'], { org });
    expect(lookback.code).toBe(2);
    expect(lookback.stderr).toContain('--lookback');
    const both = await runCli(['sync', 'evaluations', '--database', 'postgres://x@127.0.0.1:1/db', '--pglite', 'x'], { org });
    expect(both.code).toBe(2);
  });
});
