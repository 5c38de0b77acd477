/**
 * exporter.sync(): sync, three days pass (org.advance), sync again -> the destination equals the org's truth; a run
 * with nothing changed sends 0 evaluation GETs; k changes -> exactly k GETs beyond discovery; a run aborted at chosen
 * points and rerun applies every change exactly once.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSyncStateStore, QualityExporter, ValidationError, type EvaluationSyncChange, type SyncBatch } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';

const ANCHOR_MS = Date.parse('2026-06-01T00:00:00Z');
const sim = useSimulatedOrg({ seed: 11, days: 20, conversationsPerDay: 25, now: () => ANCHOR_MS, rateLimit: false });
const GET_ROUTE = 'GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}';
const DETAILS_ROUTE = 'POST /api/v2/analytics/conversations/details/query';
/** Covers the whole dataset (20 days) after advancing a few days. */
const LOOKBACK = 'P30D';

function statePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'gc-sync-')), 'state.log');
}

/** An in-memory destination: evaluation id -> changedDate. */
class Destination {
  readonly rows = new Map<string, string>();
  readonly applied: EvaluationSyncChange[] = [];
  apply = (batch: SyncBatch<EvaluationSyncChange>) => {
    for (const c of batch.changes) {
      this.applied.push(c);
      if (c.op === 'upsert') this.rows.set(c.row.id.toLowerCase(), c.changedAt);
      else this.rows.delete(c.evaluationId);
    }
  };
}

function truthNow(windowStartMs: number) {
  const interval = `${new Date(windowStartMs).toISOString()}/${new Date(sim.org.now()).toISOString()}`;
  const list = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' });
  return new Map(list.map((e) => [e.evaluationId.toLowerCase(), new Date(e.changedDate).toISOString()]));
}

const windowStart = () => Math.floor((sim.org.now() - 30 * 86_400_000) / 86_400_000) * 86_400_000;
const gets = () => sim.org.stats.count(GET_ROUTE);

describe('QualityExporter.sync', () => {
  it('sync, three days pass, sync again: the destination equals the truth; the second run GETs only what changed', async () => {
    const exporter = new QualityExporter(sim.client());
    const state = new FileSyncStateStore(statePath());
    const dest = new Destination();
    const first = await exporter.sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    const truth0 = truthNow(windowStart());
    expect(new Map(dest.rows)).toEqual(truth0);
    expect(first.new).toBe(truth0.size);
    expect(first.fetched).toBe(truth0.size);
    expect(gets()).toBe(truth0.size);
    expect(first.changed + first.deleted).toBe(0);

    sim.org.advance('P3D');
    const truth3 = truthNow(windowStart());
    const created = [...truth3.keys()].filter((id) => !truth0.has(id));
    const changed = [...truth3].filter(([id, at]) => truth0.has(id) && truth0.get(id) !== at).map(([id]) => id);
    const gone = [...truth0.keys()].filter((id) => !truth3.has(id));
    expect(created.length).toBeGreaterThan(0);
    expect(changed.length).toBeGreaterThan(0);
    expect(gone.length).toBeGreaterThan(0);

    const getsBefore = gets();
    const detailsBefore = sim.org.stats.count(DETAILS_ROUTE);
    const second = await exporter.sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    expect(new Map(dest.rows)).toEqual(truth3);
    // Exactly k GETs for k new or changed evaluations; everything else came from discovery.
    expect(gets() - getsBefore).toBe(created.length + changed.length);
    expect(second.new).toBe(created.length);
    expect(second.changed).toBe(changed.length);
    expect(second.deleted).toBe(gone.length);
    expect(second.fetched).toBe(created.length + changed.length);
    expect(second.requests).toBe(sim.org.stats.count(DETAILS_ROUTE) - detailsBefore + created.length + changed.length);
    const deletes = dest.applied.filter((c) => c.op === 'delete');
    expect(new Set(deletes.map((c) => (c.op === 'delete' ? c.evaluationId : '')))).toEqual(new Set(gone));
    // Each deletion says why (deleted on the platform, left the Finished filter, vanished from discovery).
    const reasons = new Set(deletes.map((c) => (c.op === 'delete' ? c.reason : '')));
    expect(reasons.has('deleted')).toBe(true);
    for (const r of reasons) expect(['deleted', 'left-filter', 'vanished']).toContain(r);
  });

  it('a run with nothing changed sends 0 evaluation GETs (only discovery), and yields no change', async () => {
    const exporter = new QualityExporter(sim.client());
    const state = new FileSyncStateStore(statePath());
    const dest = new Destination();
    await exporter.sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    const applied = dest.applied.length;
    const getsBefore = gets();
    const again = await exporter.sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    expect(gets() - getsBefore).toBe(0);
    expect(again.fetched).toBe(0);
    expect(again).toMatchObject({ new: 0, changed: 0, deleted: 0 });
    expect(again.unchanged).toBe(dest.rows.size);
    expect(dest.applied.length).toBe(applied);
    // A fresh store instance on the same file knows the same: still 0 GETs.
    const reopened = await exporter.sync({ lookback: LOOKBACK, state: new FileSyncStateStore(state.path), apply: dest.apply, now: () => sim.org.now() });
    expect(reopened.fetched).toBe(0);
    expect(gets() - getsBefore).toBe(0);
  });

  it('evaluations of days that left the look-back are dropped from the state, not deleted', async () => {
    const exporter = new QualityExporter(sim.client());
    const state = new FileSyncStateStore(statePath());
    const dest = new Destination();
    await exporter.sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    const size = (await state.load('quality.evaluations')).fingerprints.size;
    const short = await exporter.sync({ lookback: 'P5D', state, apply: dest.apply, now: () => sim.org.now() });
    expect(short.aged).toBeGreaterThan(0);
    expect(short.deleted).toBe(0);
    expect((await state.load('quality.evaluations')).fingerprints.size).toBe(size - short.aged);
  });

  it('evaluations that left the filter are deleted (left-filter when discovered, vanished when their conversation is not), without a GET', async () => {
    const state = new FileSyncStateStore(statePath());
    const dest = new Destination();
    const wide = ['Finished', 'InProgress', 'Pending', 'InReview'];
    await new QualityExporter(sim.client(), { evaluationStatus: wide }).sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    const interval = { start: windowStart(), end: sim.org.now() };
    const notFinished = sim.org.truth.evaluations({ interval, status: ['InProgress', 'Pending', 'InReview'], calibrations: 'exclude' }).map((e) => e.evaluationId.toLowerCase());
    expect(notFinished.length).toBeGreaterThan(0);
    const getsBefore = gets();
    const narrow = await new QualityExporter(sim.client()).sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    expect(gets() - getsBefore).toBe(0);
    expect(narrow.deleted).toBe(notFinished.length);
    const deletes = dest.applied.filter((c) => c.op === 'delete');
    expect(deletes.map((c) => (c.op === 'delete' ? c.evaluationId : '')).sort()).toEqual([...notFinished].sort());
    const reasons = new Set(deletes.map((c) => (c.op === 'delete' ? c.reason : '')));
    expect(reasons).toEqual(new Set(['left-filter', 'vanished']));
    expect(new Map(dest.rows)).toEqual(truthNow(windowStart()));
  });

  it('a run whose window starts after the last run\'s watermark warns of the gap (sync-gap), naming a lookback that closes it', async () => {
    const client = sim.client();
    const warnings: Array<{ code: string; message: string }> = [];
    client.on('warning', (w) => warnings.push(w));
    const state = new FileSyncStateStore(statePath());
    const run = () => new QualityExporter(client).sync({ lookback: 'P5D', state, apply: new Destination().apply, now: () => sim.org.now() });
    await run();
    sim.org.advance('P3D');
    await run();
    expect(warnings.filter((w) => w.code === 'sync-gap')).toHaveLength(0);
    sim.org.advance('P10D');
    await run();
    const gap = warnings.filter((w) => w.code === 'sync-gap');
    expect(gap).toHaveLength(1);
    expect(gap[0]?.message).toContain('P11D');
  });

  it('fetching goes on while a batch is written; batches are applied one at a time, in order; a failing batch ends the run with nothing left writing', async () => {
    const exporter = new QualityExporter(sim.client());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held: number | undefined;
    const dest = new Destination();
    let writing = 0;
    let most = 0;
    let applies = 0;
    // One batch per day (batchSize above a day's evaluations). The first day with changes is held: every GET of that
    // day went out before its batch was handed over, so a GET while it is held is the next day's, fetched meanwhile.
    const apply = async (batch: SyncBatch<EvaluationSyncChange>) => {
      applies++;
      writing++;
      most = Math.max(most, writing);
      if (held === undefined && batch.changes.length > 0) {
        held = gets();
        await gate;
      }
      dest.apply(batch);
      writing--;
    };
    const run = exporter.sync({ lookback: LOOKBACK, state: new FileSyncStateStore(statePath()), apply, now: () => sim.org.now(), batchSize: 1000 });
    // Waits on the org's request count, not on time.
    while (held === undefined || gets() <= held) await new Promise((r) => setImmediate(r));
    release();
    const summary = await run;
    expect(most).toBe(1);
    expect(new Map(dest.rows)).toEqual(truthNow(windowStart()));
    expect(summary.batches).toBe(applies);

    // A batch that fails while the next one is fetched: the run rejects with its error, after no apply is running.
    let calls = 0;
    let running = 0;
    const failing = async (batch: SyncBatch<EvaluationSyncChange>) => {
      calls++;
      running++;
      await new Promise((r) => setImmediate(r));
      running--;
      if (calls === 2) throw new Error('destination refused batch 2');
      void batch;
    };
    sim.org.advance('P3D');
    const e = await exporter
      .sync({ lookback: LOOKBACK, state: new FileSyncStateStore(statePath()), apply: failing, now: () => sim.org.now(), batchSize: 5 })
      .catch((x: unknown) => x);
    expect((e as Error).message).toBe('destination refused batch 2');
    expect(calls).toBe(2);
    expect(running).toBe(0);
  });

  for (const point of ['in apply (batch 3)', 'after window 6 (progress)', 'during the GETs (request 40)'] as const) {
    it(`aborted ${point} and rerun: every change applied exactly once`, async () => {
      const exporter = new QualityExporter(sim.client());
      const path = statePath();
      const state = new FileSyncStateStore(path);
      await exporter.sync({ lookback: LOOKBACK, state, apply: new Destination().apply, now: () => sim.org.now(), batchSize: 7 });
      sim.org.advance('P3D');
      // The reference: the same run, uninterrupted, from a copy of the state.
      const refPath = `${path}.ref`;
      copyFileSync(path, refPath);
      const ref = new Destination();
      await exporter.sync({ lookback: LOOKBACK, state: new FileSyncStateStore(refPath), apply: ref.apply, now: () => sim.org.now(), batchSize: 7 });
      expect(ref.applied.length).toBeGreaterThan(10);

      const dest = new Destination();
      let runs = 0;
      let killed = 0;
      for (;;) {
        const controller = new AbortController();
        let batches = 0;
        let requests = 0;
        const client = sim.client();
        if (point.startsWith('during') && runs === 0) {
          client.on('response', () => {
            if (++requests === 40) controller.abort(new Error('killed'));
          });
        }
        const apply = (batch: SyncBatch<EvaluationSyncChange>) => {
          if (point.startsWith('in apply') && runs === 1 && ++batches === 3) {
            controller.abort(new Error('killed'));
            throw new Error('killed while applying');
          }
          dest.apply(batch);
        };
        runs++;
        try {
          await new QualityExporter(client).sync({
            lookback: LOOKBACK,
            state: new FileSyncStateStore(path),
            apply,
            now: () => sim.org.now(),
            batchSize: 7,
            signal: controller.signal,
            onProgress: (p) => {
              if (point.startsWith('after window') && runs === 1 && p.windowsDone === 6) controller.abort(new Error('killed'));
            },
          });
          break;
        } catch (e) {
          killed++;
          expect(runs).toBe(1);
          expect(String((e as Error).message)).toMatch(/abort|killed/i);
        }
      }
      expect(killed).toBe(1);
      const key = (c: EvaluationSyncChange) => (c.op === 'upsert' ? `u ${c.row.id.toLowerCase()} ${c.changedAt}` : `d ${c.evaluationId}`);
      const appliedKeys = dest.applied.map(key);
      expect(new Set(appliedKeys).size).toBe(appliedKeys.length);
      expect(appliedKeys.sort()).toEqual(ref.applied.map(key).sort());
    });
  }

  it('refuses bad options before any request, naming each', async () => {
    const exporter = new QualityExporter(sim.client());
    const before = sim.org.stats.snapshot().totalRequests;
    const err = await exporter.sync({ lookback: 'P1M', state: undefined as never, batchSize: 0, colour: 1 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['colour', 'lookback', 'state', 'batchSize']));
    // A store that only keeps state needs an apply.
    const noApply = await exporter.sync({ state: new FileSyncStateStore(statePath()) }).catch((e: unknown) => e);
    expect(noApply).toBeInstanceOf(ValidationError);
    expect((noApply as ValidationError).issues[0]?.path).toBe('apply');
    expect(sim.org.stats.snapshot().totalRequests).toBe(before);
  });
});
