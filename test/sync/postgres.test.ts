/**
 * exporter.sync() into the Postgres warehouse (PGlite always; the real server when DATABASE_URL is set, failing in
 * CI without it): the state lives in the warehouse's sync tables and commits in the same transaction as each batch.
 * Sync, three days pass, sync again -> the live rows equal the org's truth, the gone ones are tombstones; a run
 * aborted mid-way and rerun leaves exactly the truth; a run with nothing changed sends 0 evaluation GETs.
 */
import { expect, it } from 'vitest';
import { QualityExporter, ReportQueries } from '@org/gc-data';
import type { PostgresWarehouse } from '@org/gc-data/postgres';
import { postgresSyncState } from '@org/gc-data/postgres';
import { createFakeClock } from '@org/gc-data/testing';
import { useSimulatedOrg } from '../support/sim';
import { describeBackends } from '../postgres/helpers';

const ANCHOR_MS = Date.parse('2026-06-01T00:00:00Z');
const sim = useSimulatedOrg({ seed: 5, days: 12, conversationsPerDay: 20, now: () => ANCHOR_MS, rateLimit: false, jobs: { queuedMs: 0, pendingMs: 0 } });
const GET_ROUTE = 'GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}';
const LOOKBACK = 'P20D';

function truth() {
  const start = Math.floor((sim.org.now() - 20 * 86_400_000) / 86_400_000) * 86_400_000;
  const interval = `${new Date(start).toISOString()}/${new Date(sim.org.now()).toISOString()}`;
  return sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' });
}

async function live(w: PostgresWarehouse) {
  const rows = await w.query<{ id: string; changed_at: Date; status: string; total_score: string | null }>(
    `SELECT evaluation_id::text AS id, changed_at, status, total_score::text FROM "${w.schema}".evaluations WHERE deleted_at IS NULL ORDER BY 1`,
  );
  return rows.map((r) => ({ id: r.id, changedAt: new Date(r.changed_at).toISOString(), status: r.status, total: r.total_score === null ? undefined : Number(r.total_score) }));
}

function expected() {
  return truth()
    .map((e) => ({ id: e.evaluationId.toLowerCase(), changedAt: new Date(e.changedDate).toISOString(), status: e.qualityStatus, total: e.totalScore }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describeBackends('exporter.sync into the warehouse', (db) => {
  it('sync, three days pass, sync again: live rows = truth, gone ones are tombstones, state in the sync tables; then 0 GETs', async () => {
    const w = db.warehouse();
    const exporter = new QualityExporter(sim.client());
    const state = postgresSyncState(w);
    const first = await exporter.sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    expect(await live(w)).toEqual(expected());
    expect(first.new).toBe(expected().length);
    const before = new Set(expected().map((e) => e.id));

    sim.org.advance('P3D');
    const second = await exporter.sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    const now = expected();
    expect(await live(w)).toEqual(now);
    const gone = [...before].filter((id) => !now.some((e) => e.id === id)).sort();
    expect(second.deleted).toBe(gone.length);
    const tombstones = await w.query<{ id: string }>(`SELECT evaluation_id::text AS id FROM "${w.schema}".evaluations WHERE deleted_at IS NOT NULL ORDER BY 1`);
    expect(tombstones.map((t) => t.id)).toEqual(gone);
    // Question scores only for live rows.
    const orphanScores = await w.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${w.schema}".evaluation_question_scores s JOIN "${w.schema}".evaluations e USING (evaluation_id) WHERE e.deleted_at IS NOT NULL`,
    );
    expect(orphanScores[0]?.n).toBe(0);
    // The state is the warehouse's: one fingerprint per live evaluation, a watermark per day.
    expect((await w.readFingerprints('quality.evaluations')).size).toBe(now.length);
    expect((await w.readWatermarks('quality.evaluations')).size).toBeGreaterThanOrEqual(20);

    const gets = sim.org.stats.count(GET_ROUTE);
    const third = await exporter.sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    expect(sim.org.stats.count(GET_ROUTE) - gets).toBe(0);
    expect(third).toMatchObject({ new: 0, changed: 0, deleted: 0, fetched: 0 });
  });

  it('reports.sync into the conversations table: every conversation up to the availability date, then only the changed ones', async () => {
    const w = db.warehouse();
    const state = postgresSyncState(w);
    const reports = new ReportQueries(sim.client({ clock: createFakeClock({ autoAdvance: true }) }));
    const first = await reports.sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    const start = Math.floor((sim.org.now() - 20 * 86_400_000) / 86_400_000) * 86_400_000;
    const available = sim.org.now() - 3_600_000;
    const ids = sim.org.truth.conversations({ interval: { start, end: available }, activity: true, endedBefore: available }).sort();
    const rows = async () => (await w.query<{ id: string }>(`SELECT conversation_id::text AS id FROM "${w.schema}".conversations ORDER BY 1`)).map((r) => r.id);
    expect(await rows()).toEqual(ids);
    expect(first.new).toBe(ids.length);
    sim.org.advance('P3D');
    const second = await reports.sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    expect(second.changed).toBeGreaterThan(0);
    expect(second.unchanged).toBeGreaterThan(0);
    const third = await reports.sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    expect(third).toMatchObject({ new: 0, changed: 0 });
    expect((await w.readWatermarks('analytics.conversations')).get('jobs')?.watermark).toBe(third.dataAvailabilityDate);
  });

  it('aborted mid-run (after the 2nd committed batch) and rerun: the tables equal the truth, no change applied twice', async () => {
    const w = db.warehouse();
    const state = postgresSyncState(w);
    await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, now: () => sim.org.now(), batchSize: 5 });
    sim.org.advance('P3D');
    const controller = new AbortController();
    let batches = 0;
    const killing = {
      ...state,
      async applyEvaluations(batch: Parameters<NonNullable<typeof state.applyEvaluations>>[0]) {
        await state.applyEvaluations(batch);
        if (++batches === 2) controller.abort(new Error('killed'));
      },
    };
    const err = await new QualityExporter(sim.client())
      .sync({ lookback: LOOKBACK, state: killing, now: () => sim.org.now(), batchSize: 5, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/abort/i);
    expect(await live(w)).not.toEqual(expected());
    const rerun = await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, now: () => sim.org.now(), batchSize: 5 });
    expect(await live(w)).toEqual(expected());
    // The rerun did only what the killed run had not committed.
    expect(rerun.new + rerun.changed + rerun.deleted).toBeGreaterThan(0);
    const again = await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    expect(again.fetched).toBe(0);
  });
});
