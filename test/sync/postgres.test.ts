/**
 * exporter.sync() into the Postgres warehouse (PGlite always; the real server when DATABASE_URL is set, failing in
 * CI without it): the state lives in the warehouse's sync tables and commits in the same transaction as each batch.
 * Sync, three days pass, sync again -> the live rows equal the org's truth, the gone ones are tombstones; a run
 * aborted mid-way and rerun leaves exactly the truth; a run with nothing changed sends 0 evaluation GETs. The sync
 * hands the next batch over while the previous one is written; a refused batch takes the one after it down with it.
 */
import { expect, it } from 'vitest';
import { QualityExporter, ReportQueries } from '@org/gc-data';
import type { ApplySummary, EvaluationChange, PostgresWarehouse } from '@org/gc-data/postgres';
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

  it('the next batch is handed over while one is written (two in flight); a refused batch ends the run, the batch after it is rolled back too, and the rerun brings the truth', async () => {
    const w = db.warehouse();
    await w.migrate();
    // The warehouse as the store sees it. The first batch is held until a second one is handed over (without early
    // hand-over the run would wait here for ever), then handed to the warehouse first (call order kept). In the
    // second run, the first batch with changes from the 5th on is held the same way and made invalid (an id that is
    // not a UUID): the warehouse refuses it while the next one is in flight.
    let calls = 0;
    let inFlight = 0;
    let most = 0;
    const held = new Map<number, () => void>();
    let refuse: { from: number; call?: number; id?: string } | undefined;
    let after: NonNullable<Parameters<PostgresWarehouse['apply']>[1]>['state'] | undefined;
    const watched = {
      ...w,
      apply(changes: readonly EvaluationChange[], options?: Parameters<PostgresWarehouse['apply']>[1]) {
        const call = ++calls;
        inFlight++;
        most = Math.max(most, inFlight);
        held.get(call - 1)?.();
        if (refuse?.call !== undefined && call === refuse.call + 1) after = options?.state ?? {};
        const first = changes[0];
        let hold = call === 1 && refuse === undefined;
        let input = changes;
        if (refuse && refuse.call === undefined && call >= refuse.from && first !== undefined) {
          refuse.call = call;
          refuse.id = first.op === 'upsert' ? (first.row as { id: string }).id.toLowerCase() : first.evaluationId;
          input = [first.op === 'upsert' ? { ...first, row: { ...first.row, id: 'not-a-uuid' } } : { ...first, evaluationId: 'not-a-uuid' }, ...changes.slice(1)];
          hold = true;
        }
        const done = (p: Promise<ApplySummary>) => p.finally(() => inFlight--);
        if (!hold) return done(w.apply(input, options));
        return done(new Promise<ApplySummary>((resolve, reject) => held.set(call, () => w.apply(input, options).then(resolve, reject))));
      },
    };
    const state = postgresSyncState(watched);
    await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, now: () => sim.org.now(), batchSize: 5 });
    expect(most).toBe(2);
    expect(await live(w)).toEqual(expected());

    const firstRun = await w.readFingerprints('quality.evaluations');
    const firstMarks = await w.readWatermarks('quality.evaluations');
    sim.org.advance('P3D');
    calls = 0;
    refuse = { from: 5 };
    const err = await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, now: () => sim.org.now(), batchSize: 5 }).catch((e: unknown) => e);
    // The first failure is reported (the refused batch's), not the next batch's refusal that followed from it.
    expect(err).toMatchObject({ name: 'ValidationError' });
    expect(String((err as Error).message)).toMatch(/not-a-uuid/);
    expect(calls).toBe((refuse.call ?? 0) + 1);
    expect(inFlight).toBe(0);
    // Neither the refused batch nor the one after it left anything: the state did not run ahead of what was written.
    const fingerprints = await w.readFingerprints('quality.evaluations');
    const marks = await w.readWatermarks('quality.evaluations');
    expect(fingerprints.get(refuse.id ?? '')).toBe(firstRun.get(refuse.id ?? ''));
    expect((after?.fingerprints?.length ?? 0) + (after?.watermarks?.length ?? 0)).toBeGreaterThan(0);
    for (const f of after?.fingerprints ?? []) expect(fingerprints.get(f.key)).toBe(firstRun.get(f.key));
    for (const m of after?.watermarks ?? []) expect(marks.get(m.window)).toEqual(firstMarks.get(m.window));
    const rerun = await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, now: () => sim.org.now(), batchSize: 5 });
    expect(rerun.new + rerun.changed + rerun.deleted).toBeGreaterThan(0);
    expect(await live(w)).toEqual(expected());
    const again = await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, now: () => sim.org.now() });
    expect(again.fetched).toBe(0);
  });
});
