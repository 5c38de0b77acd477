/**
 * Exactly-once through the resumable runner (issue 17 section 4): a Quality export stopped at several points in one
 * export (an abort, which saves on the way out, or a crash, which does not), each time resumed from the same
 * checkpoint file, ends with every evaluation once; for both strategies, with and without the channel split (an
 * evaluation in two channel groups belongs to the first; conversations that really span two groups are in
 * resume-multi-channel.test.ts), and with a separate calibration sink.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNdjsonSink, FileCheckpoint, type Checkpoint } from '@org/gc-data/sinks';
import { QualityExporter, ValidationError, type QualityExportState } from '@org/gc-data';
import { EVAL_ROUTE, routeCount, useSimulatedOrg } from '../support/sim';
import { crashable, killedQualityRun, killingAt, ndjsonEvaluationIds } from '../support/kill';

const sim = useSimulatedOrg();
/** Each case runs five exports against the simulated org: room for a loaded 2-core machine (not a speed bound). */
const interval = '2026-05-20T00:00:00Z/2026-05-22T00:00:00Z';

const ids = ndjsonEvaluationIds;

interface Case {
  strategy: 'details' | 'search';
  splitByMediaType: boolean;
  crash: boolean;
}

const cases: Case[] = [
  { strategy: 'details', splitByMediaType: false, crash: false },
  { strategy: 'details', splitByMediaType: true, crash: true },
  { strategy: 'search', splitByMediaType: false, crash: true },
  { strategy: 'search', splitByMediaType: true, crash: false },
];

describe('QualityExporter: killed at several points, resumed each time, every row once', () => {
  for (const c of cases) {
    it(`${c.strategy}${c.splitByMediaType ? ', split by channel' : ''}, ${c.crash ? 'crash (no save on the way out)' : 'abort'}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gc-kill-'));
      const out = join(dir, 'evaluations.ndjson');
      const file = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
      const expected = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
      const n = expected.length;
      expect(n).toBeGreaterThan(150);
      // Rows in the file when each run is killed: the first row, inside a page, near a page end, near the end.
      const stops = [1, Math.floor(n * 0.37), Math.floor(n * 0.61), n - 3];
      const request = { interval, ...(c.splitByMediaType ? { splitByMediaType: true } : {}) };
      const options = { strategy: c.strategy, ...(c.strategy === 'details' ? { pageSize: 25 } : { searchPageSize: 25 }) };
      let runs = 0;
      for (const stopAt of stops) {
        const { error, saved } = await killedQualityRun(sim.client(), { file, out, stopAt, crash: c.crash, options, request: { ...request, checkpointEvery: 7 } });
        runs++;
        expect((error as Error).name, `run ${runs}`).toBe('AbortError');
        // The file may hold rows the checkpoint does not count (written after its last save); never fewer.
        expect(ids(out).length).toBeGreaterThanOrEqual(saved?.rows ?? 0);
        // Per-page progress: the cursor holds the page in flight, not every id written.
        expect(saved?.cursor.written.length ?? 0).toBeLessThanOrEqual(25 * 8);
      }
      const sink = createNdjsonSink(out, { append: true });
      const summary = await new QualityExporter(sim.client(), options).exportTo(sink, { ...request, checkpoint: file, checkpointEvery: 7 });
      await sink.close();
      expect(summary.resumed).toBe(true);
      const written = ids(out);
      expect(written.length).toBe(n);
      expect(new Set(written).size).toBe(n);
      expect([...written].sort()).toEqual([...expected].sort());
      expect(summary.rows + summary.skippedAlreadyWritten).toBe(n);
      expect((await file.load())?.finished).toBe(true);
    });
  }

  it("calibrations: 'separate' keeps both sinks exactly-once across kills", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-kill-'));
    const out = join(dir, 'evaluations.ndjson');
    const calOut = join(dir, 'calibrations.ndjson');
    const file = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
    const agents = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
    const calibrations = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'only' }).map((e) => e.evaluationId);
    expect(calibrations.length).toBeGreaterThan(0);
    const total = agents.length + calibrations.length;
    for (const stopAt of [Math.floor(total / 3), Math.floor((total * 2) / 3)]) {
      const controller = new AbortController();
      const sink = createNdjsonSink(out, { append: true });
      const calibrationSink = createNdjsonSink(calOut, { append: true });
      await new QualityExporter(sim.client(), { calibrations: 'separate' })
        .exportTo(killingAt(sink, stopAt, controller, () => calibrationSink.rowsWritten), {
          interval,
          calibrationSink: killingAt(calibrationSink, stopAt, controller, () => sink.rowsWritten),
          checkpoint: crashable(file, () => controller.signal.aborted),
          signal: controller.signal,
          checkpointEvery: 5,
        })
        .catch(() => undefined);
      await sink.close();
      await calibrationSink.close();
    }
    const sink = createNdjsonSink(out, { append: true });
    const calibrationSink = createNdjsonSink(calOut, { append: true });
    await new QualityExporter(sim.client(), { calibrations: 'separate' }).exportTo(sink, { interval, calibrationSink, checkpoint: file });
    await sink.close();
    await calibrationSink.close();
    expect(ids(out).sort()).toEqual([...agents].sort());
    expect(ids(calOut).sort()).toEqual([...calibrations].sort());
  });
});

describe('QualityExporter: a crash after the last row, before the finished save', () => {
  it('resumes with only the rows after the last save left: those are cut, fetched and written again, nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-kill-'));
    const out = join(dir, 'evaluations.ndjson');
    const file = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
    // Every save but the one marking the export finished reaches the file.
    const checkpoint: Checkpoint<QualityExportState> = { load: () => file.load(), clear: () => file.clear(), save: (s) => (s.finished ? Promise.resolve() : file.save(s)) };
    const first = createNdjsonSink(out, { append: true });
    await new QualityExporter(sim.client()).exportTo(first, { interval, splitByMediaType: true, checkpoint, checkpointEvery: 10 });
    await first.close();
    const saved = await file.load();
    expect(saved?.finished).toBeUndefined();
    // The last periodic save was inside the last pass (the digital one).
    expect(saved?.cursor.pass).toBe(1);
    const getsBefore = routeCount(sim.org, EVAL_ROUTE);

    const second = createNdjsonSink(out, { append: true });
    const summary = await new QualityExporter(sim.client()).exportTo(second, { interval, splitByMediaType: true, checkpoint: file });
    await second.close();
    const expected = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
    expect(summary.rows).toBe(expected.length - saved!.rows);
    expect(summary.rows).toBeLessThan(10);
    expect(routeCount(sim.org, EVAL_ROUTE) - getsBefore).toBe(summary.rows);
    expect(ids(out).sort()).toEqual([...expected].sort());
    expect((await file.load())?.finished).toBe(true);
  });
});

describe('QualityExporter checkpoints: identity and format', () => {
  it('the fingerprint ignores key order: the same filters written in another order resume; another interval is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-kill-'));
    const file = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
    const filters = { and: [{ field: 'mediaType', op: 'in', value: ['voice', 'chat'] }, { field: 'direction', op: 'equals', value: 'inbound' }] };
    const reordered = { and: [{ value: ['voice', 'chat'], op: 'in', field: 'mediaType' }, { op: 'equals', value: 'inbound', field: 'direction' }] };
    const controller = new AbortController();
    const first = createNdjsonSink(join(dir, 'a.ndjson'));
    await new QualityExporter(sim.client())
      .exportTo(killingAt(first, 5, controller), { interval, filters, checkpoint: file, signal: controller.signal, checkpointEvery: 2 })
      .catch(() => undefined);
    await first.close();
    expect((await file.load())?.rows).toBeGreaterThan(0);

    const before = sim.org.stats.totalRequests;
    const other = await new QualityExporter(sim.client())
      .exportTo(createNdjsonSink(join(dir, 'b.ndjson')), { interval: '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z', filters, checkpoint: file })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ValidationError);
    expect((other as ValidationError).issues[0]).toMatchObject({ path: 'checkpoint', code: 'checkpoint_mismatch' });
    expect(sim.org.stats.totalRequests).toBe(before);

    const resumed = createNdjsonSink(join(dir, 'a.ndjson'), { append: true });
    const summary = await new QualityExporter(sim.client()).exportTo(resumed, { interval, filters: reordered, checkpoint: file });
    await resumed.close();
    expect(summary.resumed).toBe(true);
    expect(new Set(ids(join(dir, 'a.ndjson'))).size).toBe(ids(join(dir, 'a.ndjson')).length);
  });

  it('a checkpoint in the format before the runner (every id written) is refused before any request, saying what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-kill-'));
    const path = join(dir, 'cp.json');
    const state = { fingerprint: '{"v":1}', written: ['a', 'b'], sinkRows: 2, calibrationSinkRows: 0, done: false };
    writeFileSync(path, JSON.stringify({ version: 1, kind: 'quality-export', savedAt: '2026-05-01T00:00:00.000Z', state }));
    const before = sim.org.stats.totalRequests;
    const err = await new QualityExporter(sim.client())
      .exportTo(createNdjsonSink(join(dir, 'out.ndjson'), { append: true }), { interval, checkpoint: new FileCheckpoint<QualityExportState>(path, { kind: 'quality-export' }) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).where).toBe('checkpoint');
    expect((err as ValidationError).issues[0]).toMatchObject({ path: 'checkpoint', code: 'checkpoint_version' });
    expect((err as Error).message).toMatch(/older version of QualityExporter/);
    expect((err as Error).message).toMatch(/delete the checkpoint and the output/);
    expect(sim.org.stats.totalRequests).toBe(before);
  });

  it('a state that is not a checkpoint of this exporter is refused with the field named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-kill-'));
    const path = join(dir, 'cp.json');
    writeFileSync(path, JSON.stringify({ version: 1, kind: 'quality-export', savedAt: '', state: { v: 2, fingerprint: 'x', rows: 1, cursor: { pass: 0, written: [[1, 2]] } } }));
    const err = await new QualityExporter(sim.client())
      .exportTo(createNdjsonSink(join(dir, 'out.ndjson')), { interval, checkpoint: new FileCheckpoint<QualityExportState>(path, { kind: 'quality-export' }) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]).toMatchObject({ path: 'checkpoint.cursor.written', code: 'checkpoint_format' });
  });
});
